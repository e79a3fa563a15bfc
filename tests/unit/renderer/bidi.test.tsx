// @vitest-environment jsdom
// Right-to-left text users wrote keeps its own direction and cannot reorder what is
// around it: the room list marks names and previews for isolation (styles/base.css
// gives [dir='auto'] and <bdi> unicode-bidi: isolate).
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Sidebar } from '../../../src/renderer/components/shell/Sidebar';
import { useRoomsStore } from '../../../src/renderer/stores/rooms';
import type { ChatSession } from '../../../src/renderer/session/ChatSession';
import { FakeSocket, fakeBridge, fakeChatSession } from './fakes';
import { message, summary } from './helpers';
import { SignedIn } from './providers';

let chat: ChatSession | null = null;

afterEach(() => {
  cleanup();
  void chat?.dispose({ wipeLocal: false });
  useRoomsStore.getState().reset();
});

describe('bidirectional text', () => {
  it('room names carry dir="auto"; the preview isolates author and text from each other', () => {
    chat = fakeChatSession({ socket: new FakeSocket(), bridge: fakeBridge() });
    const name = 'חדר צוות';
    const text = 'مرحبا بالعالم';
    useRoomsStore.getState().setRooms([summary({ name, lastMessage: message({ text, authorUsername: 'bob' }) })]);
    render(
      <SignedIn chat={chat}>
        <Sidebar />
      </SignedIn>,
    );
    expect(screen.getByText(name).getAttribute('dir')).toBe('auto');
    const isolated = [...document.querySelectorAll('.room-preview bdi')].map((e) => e.textContent);
    expect(isolated).toEqual(['bob', text]);
  });
});

// @vitest-environment jsdom
// Right-to-left text users wrote keeps its own direction and cannot reorder what is
// around it: the room list marks names and previews for isolation (styles/base.css
// gives [dir='auto'] and <bdi> unicode-bidi: isolate).
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Sidebar } from '../../../src/renderer/components/shell/Sidebar';
import { useRoomsStore } from '../../../src/renderer/stores/rooms';
import { useSessionStore } from '../../../src/renderer/stores/session';
import { ALICE, message, summary } from './helpers';

afterEach(() => {
  cleanup();
  useRoomsStore.getState().reset();
});

describe('bidirectional text', () => {
  it('room names carry dir="auto"; the preview isolates author and text from each other', () => {
    useSessionStore.getState().signedIn({ token: 't', expiresAt: '2999-01-01T00:00:00.000Z', serverUrl: 'http://s', user: { id: ALICE, username: 'alice', email: 'a@x.io' } });
    const name = 'חדר צוות';
    const text = 'مرحبا بالعالم';
    useRoomsStore.getState().setRooms([summary({ name, lastMessage: message({ text, authorUsername: 'bob' }) })]);
    render(<Sidebar />);
    expect(screen.getByText(name).getAttribute('dir')).toBe('auto');
    const isolated = [...document.querySelectorAll('.room-preview bdi')].map((e) => e.textContent);
    expect(isolated).toEqual(['bob', text]);
  });
});

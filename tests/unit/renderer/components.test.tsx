// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthScreen } from '../../../src/renderer/components/auth/AuthScreen';
import { Composer } from '../../../src/renderer/components/room/Composer';
import type { ChatSession } from '../../../src/renderer/session/ChatSession';
import { ParleyClient } from '../../../src/renderer/session/client';
import { ChatSessionContext, ClientContext } from '../../../src/renderer/session/context';
import { setBridgeForTests } from '../../../src/renderer/platform/bridge';
import { selectOutbox, useMessagesStore } from '../../../src/renderer/stores/messages';
import { useSessionStore } from '../../../src/renderer/stores/session';
import { FakeSocket, fakeBridge, fakeChatSession } from './fakes';
import { ROOM } from './helpers';

let chat: ChatSession | null = null;

afterEach(() => {
  cleanup();
  void chat?.dispose({ wipeLocal: false });
  chat = null;
  setBridgeForTests(null);
  useMessagesStore.getState().reset();
});

describe('AuthScreen', () => {
  beforeEach(() => useSessionStore.getState().signedOut('Your session has ended. Sign in again.'));

  it('says why the user is signed out, and shows the rules before submitting', () => {
    render(
      <ClientContext.Provider value={new ParleyClient(fakeBridge())}>
        <AuthScreen />
      </ClientContext.Provider>,
    );
    expect(screen.getByRole('heading', { name: 'Sign in to Parley' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('Your session has ended');
    fireEvent.click(screen.getByRole('button', { name: 'Create an account' }));
    expect(screen.getByRole('heading', { name: 'Create your Parley account' })).toBeTruthy();
    expect(screen.getByText('At least 8 characters')).toBeTruthy();
    expect(screen.getByText('3–32 letters, digits, _ . -')).toBeTruthy();
  });

  it('shows field errors next to the fields, linked by aria-describedby', () => {
    render(
      <ClientContext.Provider value={new ParleyClient(fakeBridge())}>
        <AuthScreen />
      </ClientContext.Provider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Create an account' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Username' }), { target: { value: 'a' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }));
    const username = screen.getByRole('textbox', { name: 'Username' });
    expect(username.getAttribute('aria-invalid')).toBe('true');
    const described = (username.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain('Must be at least 3 characters');
    expect(described).toContain('3–32 letters, digits, _ . -');
  });
});

describe('Composer', () => {
  beforeEach(() => {
    const socket = new FakeSocket();
    const bridge = fakeBridge();
    setBridgeForTests(bridge);
    chat = fakeChatSession({ socket, bridge });
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
  });

  it('Enter sends, Shift+Enter does not', () => {
    render(
      <ChatSessionContext.Provider value={chat}>
        <Composer roomId={ROOM} roomName="general" />
      </ChatSessionContext.Provider>,
    );
    const box = screen.getByRole('textbox', { name: 'Message #general' });
    fireEvent.change(box, { target: { value: 'line one' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(selectOutbox(ROOM)(useMessagesStore.getState())).toHaveLength(0);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(selectOutbox(ROOM)(useMessagesStore.getState())).toMatchObject([{ text: 'line one', status: 'sending' }]);
    expect((box as HTMLTextAreaElement).value).toBe('');
  });
});

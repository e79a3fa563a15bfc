// Wraps views the way the app does: the page's ParleyClient and the signed-in ChatSession.
import type { ReactNode } from 'react';
import type { ChatSession } from '../../../src/renderer/session/ChatSession';
import { ParleyClient } from '../../../src/renderer/session/client';
import { ChatSessionContext, ClientContext } from '../../../src/renderer/session/context';

export function SignedIn({ chat, children }: { chat: ChatSession; children: ReactNode }) {
  return (
    <ClientContext.Provider value={new ParleyClient(chat.bridge)}>
      <ChatSessionContext.Provider value={chat}>{children}</ChatSessionContext.Provider>
    </ClientContext.Provider>
  );
}

// Runs in: the renderer. How views reach the page's ParleyClient and the signed-in
// ChatSession: React context, provided once in mountApp.tsx and by the signed-in Shell.
import { createContext, useContext } from 'react';
import type { ChatSession } from './ChatSession';
import type { ParleyClient } from './client';

export const ClientContext = createContext<ParleyClient | null>(null);
export const ChatSessionContext = createContext<ChatSession | null>(null);

export function useClient(): ParleyClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('No ParleyClient: render inside <ClientContext.Provider>.');
  return client;
}

/** The signed-in session; only views under the signed-in Shell use it. */
export function useChatSession(): ChatSession {
  const session = useContext(ChatSessionContext);
  if (!session) throw new Error('No ChatSession: render inside the signed-in Shell.');
  return session;
}

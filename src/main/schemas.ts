// Runs in: the Electron main process (pure: no Electron import).
// zod schemas for everything that crosses into main: the arguments of every IPC
// channel (typed from src/shared/ipc.ts, so a channel without a validator does not
// compile) and the data read back from the settings file, which is also untrusted.
import { z } from 'zod';
import { LIMITS, roomIdParam, userIdParam } from '../shared/contract.js';
import type { InvokeChannel, InvokeChannels, SendChannel, SendChannels } from '../shared/ipc.js';
import { LOCAL_KEY, LOCAL_STORE_LIMITS } from '../shared/localStore.js';
import { isHttpUrl, MAX_URL_LENGTH } from '../shared/urls.js';

const isoInstant = z.iso.datetime({ offset: true });

export const httpUrlSchema = z.string().max(MAX_URL_LENGTH).refine(isHttpUrl, 'must be an http(s) URL');

export const publicUserSchema = z.object({
  id: userIdParam,
  username: z.string().min(1).max(LIMITS.usernameMax),
  email: z.string().max(LIMITS.emailMax),
});

export const storedSessionSchema = z.object({
  token: z.string().min(1).max(512),
  expiresAt: isoInstant,
  user: publicUserSchema,
  serverUrl: httpUrlSchema,
});

export const clientSettingsSchema = z.object({
  notificationsEnabled: z.boolean(),
  mutedRoomIds: z.array(roomIdParam).max(10_000),
});

export const settingsPatchSchema = z.strictObject({
  notificationsEnabled: z.boolean().optional(),
  mutedRoomIds: z.array(roomIdParam).max(10_000).optional(),
});

const roomNameText = z.string().max(LIMITS.roomNameMax * 2);

export const incomingMessageSchema = z.object({
  message: z.object({
    id: z.string().min(1).max(64),
    roomId: roomIdParam,
    authorId: z.string().min(1).max(64),
    authorUsername: z.string().max(LIMITS.usernameMax * 2),
    text: z.string().max(LIMITS.messageMax * 2),
    clientId: z.string().max(LIMITS.clientIdMax * 2),
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    createdAt: isoInstant,
    mentions: z.array(z.string().min(1).max(64)).max(1_000).optional(),
  }),
  roomName: roomNameText,
  selfUserId: z.string().min(1).max(64),
});

export const unreadSummarySchema = z.object({
  total: z.number().int().min(0).max(1_000_000_000),
  rooms: z
    .array(
      z.object({
        roomId: roomIdParam,
        name: roomNameText,
        count: z.number().int().min(0).max(1_000_000_000),
        mentions: z.number().int().min(0).max(1_000_000_000).optional(),
      }),
    )
    .max(10_000),
});

export const sessionStateSchema = z.enum(['signed-in', 'signed-out', 'expired']);

// One account's local data: the account is a user id, keys follow the key rule, values
// are JSON text within the size cap (that it parses is checked by src/main/localData.ts).
const localAccountId = userIdParam;
const localKey = z.string().regex(LOCAL_KEY, `keys are 1-${LOCAL_STORE_LIMITS.keyMaxLength} characters of A-Z a-z 0-9 : . _ -`);
const localJson = z.string().min(1).max(LOCAL_STORE_LIMITS.valueMaxChars, `values are at most ${LOCAL_STORE_LIMITS.valueMaxChars} characters of JSON`);

/** One validator per channel: the whole argument list as a tuple. */
export const invokeArgs = {
  'session:load': z.tuple([]),
  'session:save': z.tuple([storedSessionSchema]),
  'session:clear': z.tuple([]),
  'settings:get': z.tuple([]),
  'settings:update': z.tuple([settingsPatchSchema]),
  'local:get': z.tuple([localAccountId, localKey]),
  'local:entries': z.tuple([localAccountId, localKey]),
  'local:set': z.tuple([localAccountId, localKey, localJson]),
  'local:delete': z.tuple([localAccountId, localKey]),
  'local:clear': z.tuple([localAccountId]),
} satisfies { [C in InvokeChannel]: z.ZodType<InvokeChannels[C]['args']> };

export const sendArgs = {
  'room:set-active': z.tuple([roomIdParam.nullable()]),
  'message:arrived': z.tuple([incomingMessageSchema]),
  'unread:set': z.tuple([unreadSummarySchema]),
  'session:set-state': z.tuple([sessionStateSchema]),
  'link:open-external': z.tuple([httpUrlSchema]),
  'network:online': z.tuple([]),
} satisfies { [C in SendChannel]: z.ZodType<SendChannels[C]['args']> };

// ---------- the settings file ----------
export const tokenProtectionSchema = z.enum(['safeStorage', 'plaintext']);
export type TokenProtection = z.infer<typeof tokenProtectionSchema>;

/** The session as written to disk: the token sealed by safeStorage (base64) or, where the OS offers no keyring, plain. */
export const persistedSessionSchema = storedSessionSchema.extend({
  token: z.string().min(1).max(4096),
  tokenProtection: tokenProtectionSchema,
});
export type PersistedSession = z.infer<typeof persistedSessionSchema>;

export interface PersistedData extends Record<string, unknown> {
  session?: PersistedSession;
  settings?: z.infer<typeof clientSettingsSchema>;
}

// When a message becomes a native notification, and what clicking it does.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type ClientSettings, type IncomingMessage } from '../../../src/shared/bridge.js';
import { Notifier } from '../../../src/main/notifications.js';
import { PageStateMirror } from '../../../src/main/pageState.js';
import { fakeNotifications, fakeWindow, recordingLogger } from './fakes.js';

const ME = '111111111111111111111111';
const BOB = '222222222222222222222222';
const GENERAL = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const RANDOM = 'bbbbbbbbbbbbbbbbbbbbbbbb';

let nextId = 0;
function message(roomId: string, authorId = BOB, text = 'hello there'): IncomingMessage {
  nextId += 1;
  return {
    message: {
      id: `msg${nextId}`,
      roomId,
      authorId,
      authorUsername: authorId === ME ? 'me' : 'bob',
      text,
      clientId: `c${nextId}`,
      seq: nextId,
      createdAt: '2030-01-01T12:00:00.000Z',
    },
    roomName: roomId === GENERAL ? 'general' : 'random',
    selfUserId: ME,
  };
}

function setup(options: { attentive?: boolean; activeRoomId?: string | null; settings?: ClientSettings; supported?: boolean } = {}) {
  const window = fakeWindow(options.attentive ?? true);
  const notifications = fakeNotifications(options.supported ?? true);
  const state = new PageStateMirror({ session: 'signed-in', activeRoomId: options.activeRoomId ?? GENERAL });
  const log = recordingLogger();
  let settings = options.settings ?? DEFAULT_SETTINGS;
  const notifier = new Notifier({ notifications, window, state, settings: () => settings, log });
  return { window, notifications, state, log, notifier, setSettings: (next: ClientSettings) => (settings = next) };
}

describe('notifications', () => {
  it('notifies for a message in another room while the user looks at a room', () => {
    const { notifier, notifications } = setup({ attentive: true, activeRoomId: GENERAL });
    expect(notifier.messageArrived(message(RANDOM, BOB, 'lunch?\nsecond line'))).toBe(true);
    expect(notifications.created).toHaveLength(1);
    expect(notifications.created[0]).toMatchObject({ title: 'bob in #random', body: 'lunch?', shown: true });
  });

  it('stays quiet for the room on screen in a focused window', () => {
    const { notifier, notifications } = setup({ attentive: true, activeRoomId: GENERAL });
    expect(notifier.messageArrived(message(GENERAL))).toBe(false);
    expect(notifications.created).toHaveLength(0);
  });

  it('notifies for the open room when the window is hidden in the tray or unfocused', () => {
    const { notifier } = setup({ attentive: false, activeRoomId: GENERAL });
    expect(notifier.messageArrived(message(GENERAL))).toBe(true);
  });

  it('never notifies for your own messages', () => {
    const { notifier } = setup({ attentive: false });
    expect(notifier.messageArrived(message(RANDOM, ME))).toBe(false);
  });

  it('respects muted rooms and the global switch, read at the time of the message', () => {
    const { notifier, setSettings } = setup({ attentive: false });
    setSettings({ notificationsEnabled: true, mutedRoomIds: [RANDOM] });
    expect(notifier.messageArrived(message(RANDOM))).toBe(false);
    expect(notifier.messageArrived(message(GENERAL))).toBe(true);
    setSettings({ notificationsEnabled: false, mutedRoomIds: [] });
    expect(notifier.messageArrived(message(GENERAL))).toBe(false);
  });

  it('a mention of you notifies even in a muted room, titled so; a mention of someone else does not', () => {
    const { notifier, notifications, setSettings } = setup({ attentive: false });
    setSettings({ notificationsEnabled: true, mutedRoomIds: [RANDOM] });
    const mentioningMe = message(RANDOM, BOB, '@me look');
    mentioningMe.message.mentions = [ME];
    const mentioningBob = message(RANDOM, '333333333333333333333333', '@bob look');
    mentioningBob.message.mentions = [BOB];
    expect(notifier.messageArrived(mentioningBob)).toBe(false);
    expect(notifier.messageArrived(mentioningMe)).toBe(true);
    expect(notifications.created.at(-1)).toMatchObject({ title: 'bob mentioned you in #random', body: '@me look' });
    // Notifications turned off stay off.
    setSettings({ notificationsEnabled: false, mutedRoomIds: [RANDOM] });
    const again = message(RANDOM, BOB, '@me again');
    again.message.mentions = [ME];
    expect(notifier.messageArrived(again)).toBe(false);
  });

  it('follows the active room as the renderer reports it', () => {
    const { notifier, state } = setup({ attentive: true, activeRoomId: GENERAL });
    state.setActiveRoom(RANDOM);
    expect(notifier.messageArrived(message(RANDOM))).toBe(false);
    expect(notifier.messageArrived(message(GENERAL))).toBe(true);
    state.setActiveRoom(null);
    expect(notifier.messageArrived(message(RANDOM))).toBe(true);
  });

  it('notifies once for a message delivered twice', () => {
    const { notifier } = setup({ attentive: false });
    const event = message(RANDOM);
    expect(notifier.messageArrived(event)).toBe(true);
    expect(notifier.messageArrived(event)).toBe(false);
  });

  it('clicking the notification shows the window and opens that room at that message', () => {
    const { notifier, notifications, window } = setup({ attentive: false });
    window.hide();
    const event = message(RANDOM);
    notifier.messageArrived(event);
    notifications.created[0]?.click();
    expect(window.hidden).toBe(false);
    expect(window.revealed).toBe(1);
    expect(window.sent).toEqual([{ channel: 'room:open', args: [RANDOM, event.message.id] }]);
  });

  it('says once that the system cannot show notifications, and carries on', () => {
    const { notifier, log } = setup({ attentive: false, supported: false });
    expect(notifier.messageArrived(message(RANDOM))).toBe(false);
    expect(notifier.messageArrived(message(RANDOM))).toBe(false);
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });
});

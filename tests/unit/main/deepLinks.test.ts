// parley:// links: which ones are followed, when (only once someone is signed in), and
// how the app registers as the scheme's handler.
import { describe, expect, it } from 'vitest';
import { DeepLinks, registerParleyScheme } from '../../../src/main/deepLinks.js';
import { PageStateMirror } from '../../../src/main/pageState.js';
import { parleyLinkInArgs, parleyMessageLink, parseParleyLink } from '../../../src/shared/messageLinks.js';
import { fakeWindow, recordingLogger } from './fakes.js';

const ROOM = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const MESSAGE = 'bbbbbbbbbbbbbbbbbbbbbbbb';

describe('parley:// links', () => {
  it('round-trip a message link and read a room link', () => {
    expect(parleyMessageLink(ROOM, MESSAGE)).toBe(`parley://rooms/${ROOM}/messages/${MESSAGE}`);
    expect(parseParleyLink(parleyMessageLink(ROOM, MESSAGE))).toEqual({ roomId: ROOM, messageId: MESSAGE });
    expect(parseParleyLink(`parley://rooms/${ROOM}`)).toEqual({ roomId: ROOM });
    expect(parseParleyLink(`PARLEY://rooms/${ROOM.toUpperCase()}/`)).toEqual({ roomId: ROOM });
  });

  it('refuse anything else', () => {
    for (const raw of [
      'parley://rooms/123',
      `parley://rooms/${ROOM}/messages/`,
      `parley://rooms/${ROOM}?x=1`,
      `parley://user@rooms/${ROOM}`,
      `https://rooms/${ROOM}`,
      `parley://rooms/${ROOM}/messages/${MESSAGE}/extra`,
      'javascript:alert(1)',
      `parley://rooms/${ROOM}${'/'.repeat(300)}`,
    ]) {
      expect(parseParleyLink(raw), raw).toBeNull();
    }
  });

  it("are found among a launch's arguments", () => {
    expect(parleyLinkInArgs(['/opt/Parley/parley', '--no-sandbox', `parley://rooms/${ROOM}`])).toBe(`parley://rooms/${ROOM}`);
    expect(parleyLinkInArgs(['/opt/Parley/parley', '--flag'])).toBeNull();
  });
});

describe('DeepLinks', () => {
  it('opens the room at the message and brings the window forward when someone is signed in', () => {
    const window = fakeWindow(false);
    const links = new DeepLinks({ window, state: new PageStateMirror({ session: 'signed-in' }), log: recordingLogger() });
    links.received(parleyMessageLink(ROOM, MESSAGE));
    expect(window.sent).toEqual([{ channel: 'room:open', args: [ROOM, MESSAGE] }]);
    expect(window.revealed).toBe(1);
    links.received(`parley://rooms/${ROOM}`);
    expect(window.sent.at(-1)).toEqual({ channel: 'room:open', args: [ROOM] });
  });

  it('keeps the newest link until someone signs in, then opens it once', () => {
    const window = fakeWindow(false);
    const state = new PageStateMirror({ session: 'signed-out' });
    const links = new DeepLinks({ window, state, log: recordingLogger() });
    links.received(`parley://rooms/${ROOM}`);
    links.received(parleyMessageLink(ROOM, MESSAGE));
    expect(window.sent).toEqual([]);
    expect(window.revealed).toBe(2);
    state.setSession('signed-in');
    expect(window.sent).toEqual([{ channel: 'room:open', args: [ROOM, MESSAGE] }]);
    state.setSession('signed-out');
    state.setSession('signed-in');
    expect(window.sent).toHaveLength(1);
  });

  it('ignores other links, saying so', () => {
    const window = fakeWindow(false);
    const log = recordingLogger();
    const links = new DeepLinks({ window, state: new PageStateMirror({ session: 'signed-in' }), log });
    links.received('parley://settings');
    expect(window.sent).toEqual([]);
    expect(window.revealed).toBe(0);
    expect(log.lines).toEqual([{ level: 'warn', message: expect.stringContaining('not a Parley room or message link') }]);
  });
});

describe('registerParleyScheme', () => {
  const port = () => {
    const calls: unknown[][] = [];
    return { calls, setAsDefaultProtocolClient: (...args: unknown[]) => (calls.push(args), true) };
  };

  it('registers the packaged app by itself, and an app run from source with its path', () => {
    const packaged = port();
    expect(registerParleyScheme(packaged, { defaultApp: false, execPath: '/opt/Parley/parley', appPath: undefined }, recordingLogger())).toBe(true);
    expect(packaged.calls).toEqual([['parley']]);
    const fromSource = port();
    registerParleyScheme(fromSource, { defaultApp: true, execPath: '/usr/lib/electron', appPath: '/src/parley' }, recordingLogger());
    expect(fromSource.calls).toEqual([['parley', '/usr/lib/electron', ['/src/parley']]]);
  });

  it('says so when the OS refuses', () => {
    const log = recordingLogger();
    expect(registerParleyScheme({ setAsDefaultProtocolClient: () => false }, { defaultApp: false, execPath: 'x', appPath: undefined }, log)).toBe(false);
    expect(log.lines[0]?.level).toBe('warn');
  });
});

// Which text Parley takes and which it refuses (src/shared/text.ts), over HTTP and
// Socket.IO alike; and that what was acknowledged is byte for byte what is stored,
// pushed and served back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError, Message } from '../../../src/shared/contract.js';
import { MAX_COMBINING_RUN, textProblem } from '../../../src/shared/text.js';
import { ask, nextEvent } from '../../support/events.js';
import { startTestServer, type ClientSocket, type TestServer, type TestUser } from '../../support/server.js';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let roomId: string;
let aliceSocket: ClientSocket;
let bobSocket: ClientSocket;
beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = await Promise.all([server.register('alice'), server.register('bob')]);
  roomId = await server.createRoom(alice, 'Text table', bob);
  [aliceSocket, bobSocket] = await Promise.all([server.socket(alice.token), server.socket(bob.token)]);
});
afterAll(() => server?.close());

const COMBINING_ACUTE = '\u0301';

/** Refused everywhere text is written: messages and room names. */
const refusedEverywhere: Array<[string, string]> = [
  ['a lone high surrogate', 'x\uD800y'],
  ['a lone low surrogate', 'x\uDC00y'],
  ['a surrogate pair in the wrong order', 'x\uDE00\uD83Dy'],
  ['NUL', 'a\u0000b'],
  ['bell', 'ding\u0007'],
  ['escape (terminal colours)', '\u001B[31mred'],
  ['DEL', 'a\u007Fb'],
  ['a C1 control (NEL)', 'a\u0085b'],
  ['a C1 control (CSI)', 'a\u009Bb'],
  ['a carriage return', 'line\rfeed'],
  ['a pile of combining marks', `Z${COMBINING_ACUTE.repeat(MAX_COMBINING_RUN + 1)}`],
  ['4,000 combining marks', `Z${'\u0336'.repeat(3999)}`],
];

/** Refused in room names only. */
const refusedInNames: Array<[string, string]> = [
  ['a newline', 'two\nlines'],
  ['a tab', 'tab\there'],
  ['only zero-width spaces', '\u200B\u200B\u200B'],
  ['only zero-width joiners and non-joiners', '\u200D\u200C\u200D'],
  ['only a byte-order mark and word joiner', '\uFEFF\u2060'],
  ['only variation selectors', '\uFE0F\uFE0E'],
  ['only combining marks without a base', '\u0301\u0302\u0303'],
  ['only Hangul fillers', '\u3164\u3164'],
  ['only a blank Braille pattern', '\u2800'],
  ['only soft hyphens', '\u00AD\u00AD'],
  ['a right-to-left override (gnp.exe)', '\u202Egnp.exe'],
  ['a left-to-right embedding', 'a\u202Ab'],
  ['a pop directional formatting', 'a\u202Cb'],
  ['a right-to-left isolate', 'a\u2067b\u2069'],
  ['a first strong isolate', '\u2068name\u2069'],
];

/** Odd but valid: accepted in messages and stored exactly. */
const acceptedMessages: Array<[string, string]> = [
  ['emoji', 'Ship it 🚀🎉'],
  ['an emoji ZWJ family and a skin tone', 'family: 👩‍👩‍👧‍👦 thumbs: 👍🏽'],
  ['flags and keycaps', '🇯🇵 🇧🇷 1️⃣ #️⃣'],
  ['right-to-left Arabic', 'مرحبا بالعالم، كيف حالك؟'],
  ['right-to-left Hebrew mixed with English', 'שלום world 123 עולם'],
  ['CJK', '你好，世界。こんにちは。안녕하세요'],
  ['combining accents (decomposed)', `Cafe${COMBINING_ACUTE} re${COMBINING_ACUTE}sume${COMBINING_ACUTE}`],
  ['precomposed and decomposed side by side', `\u00E9 e${COMBINING_ACUTE}`],
  ['newlines and tabs', 'line one\nline two\n\tindented'],
  [`exactly ${MAX_COMBINING_RUN} marks on one base`, `a${'\u0300'.repeat(MAX_COMBINING_RUN)}`],
  ['astral characters', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𓀀 𠜎'],
  ['a left-to-right mark between RTL and LTR', 'עברית\u200E (beta)'],
  ['bidi controls inside a message (isolated by the client)', 'see \u2067שלום\u2069 here'],
  ['a zero-width joiner inside a word', 'क्‍ष'],
  ['Devanagari, Thai and Tamil with their marks', 'नमस्ते สวัสดีครับ வணக்கம்'],
  ['non-breaking and ideographic spaces inside', 'a\u00A0b\u3000c'],
];

const acceptedNames: Array<[string, string]> = [
  ['emoji', 'Launch 🚀'],
  ['Arabic', 'غرفة الفريق'],
  ['Hebrew', 'חדר צוות'],
  ['CJK', '開発チーム'],
  ['combining accents', `Cafe${COMBINING_ACUTE}`],
  ['a ZWJ sequence', '👩‍💻 devs'],
  ['a left-to-right mark', 'צוות\u200E 2'],
];

function expectInvalidText(error: ApiError | undefined, field: string): void {
  expect(error?.code).toBe('invalid_text');
  expect(error?.message).toMatch(new RegExp(field));
  expect(Object.keys(error?.fields ?? {})).toContain(field);
}

let counter = 0;
const clientId = () => `text-${counter++}`;

describe('refused text', () => {
  it.each([...refusedEverywhere])('a message with %s: 400 invalid_text over HTTP and in the socket ack', async (_label, text) => {
    const http = await server.request('POST', `/rooms/${roomId}/messages`, { token: alice.token, body: { clientId: clientId(), text } });
    expect(http.status).toBe(400);
    expectInvalidText(http.body.error, 'text');
    const ack = await ask<{ ok: boolean; error?: ApiError }>(aliceSocket, 'message:send', { roomId, clientId: clientId(), text });
    expect(ack.ok).toBe(false);
    expectInvalidText(ack.error, 'text');
  });

  it.each([...refusedEverywhere, ...refusedInNames])('a room name with %s: 400 invalid_text on create and rename', async (_label, name) => {
    const created = await server.request('POST', '/rooms', { token: alice.token, body: { name } });
    expect(created.status).toBe(400);
    expectInvalidText(created.body.error, 'name');
    const renamed = await server.request('PATCH', `/rooms/${roomId}`, { token: alice.token, body: { name } });
    expect(renamed.status).toBe(400);
    expectInvalidText(renamed.body.error, 'name');
  });

  it('nothing refused was stored', async () => {
    const history = await server.request('GET', `/rooms/${roomId}/messages?limit=200`, { token: alice.token });
    const texts = (history.body.messages as Message[]).map((m) => m.text);
    for (const [, text] of refusedEverywhere) expect(texts).not.toContain(text);
    const detail = await server.request('GET', `/rooms/${roomId}`, { token: alice.token });
    expect(detail.body.room.name).toBe('Text table');
  });

  it('other problems stay validation_failed, and a text problem beside them still says invalid_text', async () => {
    const empty = await server.request('POST', `/rooms/${roomId}/messages`, { token: alice.token, body: { clientId: clientId(), text: '   ' } });
    expect(empty.body.error.code).toBe('validation_failed');
    const badClientId = await ask<{ ok: boolean; error?: ApiError }>(aliceSocket, 'message:send', { roomId, clientId: 'no spaces allowed', text: 'fine' });
    expect(badClientId.error?.code).toBe('validation_failed');
    const both = await server.request('POST', `/rooms/${roomId}/messages`, { token: alice.token, body: { clientId: 'bad id', text: 'a\u0000' } });
    expect(both.body.error.code).toBe('invalid_text');
    expect(Object.keys(both.body.error.fields).sort()).toEqual(['clientId', 'text']);
  });
});

describe('odd but valid text', () => {
  it.each(acceptedMessages)('%s: the ack, the push and history carry exactly what was sent', async (_label, text) => {
    expect(textProblem(text, 'message')).toBeNull();
    // Over the socket.
    const id = clientId();
    const pushed = nextEvent(bobSocket, 'message:new', ({ message }) => message.clientId === id);
    const ack = await ask<{ ok: boolean; message: Message }>(aliceSocket, 'message:send', { roomId, clientId: id, text });
    expect(ack.ok).toBe(true);
    expect(ack.message.text).toBe(text);
    expect((await pushed).message.text).toBe(text);
    // Over HTTP.
    const httpId = clientId();
    const httpPushed = nextEvent(bobSocket, 'message:new', ({ message }) => message.clientId === httpId);
    const http = await server.request('POST', `/rooms/${roomId}/messages`, { token: alice.token, body: { clientId: httpId, text } });
    expect(http.status).toBe(201);
    expect(http.body.message.text).toBe(text);
    expect((await httpPushed).message.text).toBe(text);
    // Served back, byte for byte.
    const history = await server.request('GET', `/rooms/${roomId}/messages?limit=5`, { token: bob.token });
    const stored = (history.body.messages as Message[]).filter((m) => m.clientId === id || m.clientId === httpId);
    expect(stored.map((m) => Buffer.from(m.text, 'utf8').toString('hex'))).toEqual([
      Buffer.from(text, 'utf8').toString('hex'),
      Buffer.from(text, 'utf8').toString('hex'),
    ]);
  });

  it.each(acceptedNames)('a room name in %s is kept exactly', async (_label, name) => {
    const created = await server.request('POST', '/rooms', { token: alice.token, body: { name } });
    expect(created.status).toBe(201);
    expect(created.body.room.name).toBe(name);
    const listed = await server.request('GET', '/rooms', { token: alice.token });
    expect((listed.body.rooms as Array<{ id: string; name: string }>).find((r) => r.id === created.body.room.id)?.name).toBe(name);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiRequestError, normalizeServerUrl } from '../../../src/renderer/api/client';

function respond(status: number, body?: unknown) {
  return vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
}

describe('ApiClient', () => {
  it('sends JSON with the bearer token to /api', async () => {
    const fetchImpl = respond(200, { messages: [], hasMore: false });
    const api = new ApiClient({ baseUrl: 'http://host:4000/', token: 'tok', fetchImpl });
    await api.history('a'.repeat(24), { after: 'start', limit: 200 });
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(`http://host:4000/api/rooms/${'a'.repeat(24)}/messages?after=start&limit=200`);
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('parses refusals into the contract’s ApiError', async () => {
    const api = new ApiClient({
      baseUrl: 'http://host',
      fetchImpl: respond(409, { error: { code: 'username_taken', message: 'That username is already taken.', fields: { username: 'already taken' } } }),
    });
    const error = await api.register({ email: 'a@b.co', username: 'abc', password: 'password1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({
      status: 409,
      error: { code: 'username_taken', message: 'That username is already taken.', fields: { username: 'already taken' } },
    });
  });

  it('turns a body that is not an ApiError into a generic one', async () => {
    const api = new ApiClient({ baseUrl: 'http://host', fetchImpl: vi.fn(async () => new Response('<html>bad gateway</html>', { status: 502 })) });
    await expect(api.rooms()).rejects.toMatchObject({ status: 502, error: { code: 'service_unavailable' } });
  });

  it('an unreachable server is status 0 with a message naming it', async () => {
    const api = new ApiClient({ baseUrl: 'http://nowhere:1', fetchImpl: vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))) });
    await expect(api.rooms()).rejects.toMatchObject({
      status: 0,
      error: { code: 'service_unavailable', message: expect.stringContaining('http://nowhere:1') },
    });
  });

  it('reports an ended session once the user is signed in, but not a failed login', async () => {
    const onSessionEnded = vi.fn();
    const expired = respond(401, { error: { code: 'session_expired', message: 'Your session has ended. Sign in again.' } });
    await expect(new ApiClient({ baseUrl: 'http://h', token: 't', fetchImpl: expired, onSessionEnded }).rooms()).rejects.toThrow();
    expect(onSessionEnded).toHaveBeenCalledTimes(1);
    const wrong = respond(401, { error: { code: 'invalid_credentials', message: 'Wrong username, email or password.' } });
    await expect(new ApiClient({ baseUrl: 'http://h', fetchImpl: wrong, onSessionEnded }).login({ login: 'x', password: 'y' })).rejects.toThrow(
      'Wrong username, email or password.',
    );
    expect(onSessionEnded).toHaveBeenCalledTimes(1);
  });

  it('keeps retryAfterMs from the body, or takes it from a bare Retry-After header', async () => {
    const limited = respond(429, { error: { code: 'rate_limited', message: 'Slow down.', retryAfterMs: 1500 } });
    await expect(new ApiClient({ baseUrl: 'http://h', token: 't', fetchImpl: limited }).rooms()).rejects.toMatchObject({ error: { retryAfterMs: 1500 } });
    const proxy = vi.fn(async () => new Response('busy', { status: 503, headers: { 'Retry-After': '3' } }));
    await expect(new ApiClient({ baseUrl: 'http://h', token: 't', fetchImpl: proxy }).rooms()).rejects.toMatchObject({
      status: 503,
      error: { code: 'service_unavailable', retryAfterMs: 3000 },
    });
  });

  it('history cursors are seqs (or start, or a message id for around)', async () => {
    const fetchImpl = respond(200, { messages: [], hasMore: false, hasOlder: false, hasNewer: false });
    const api = new ApiClient({ baseUrl: 'http://h', token: 't', fetchImpl });
    await api.history('a'.repeat(24), { before: 120, limit: 100 });
    await api.history('a'.repeat(24), { around: 'b'.repeat(24) });
    const urls = fetchImpl.mock.calls.map((call) => (call as unknown as [string])[0]);
    expect(urls).toEqual([
      `http://h/api/rooms/${'a'.repeat(24)}/messages?before=120&limit=100`,
      `http://h/api/rooms/${'a'.repeat(24)}/messages?around=${'b'.repeat(24)}`,
    ]);
  });

  it('answers 204 with nothing', async () => {
    const api = new ApiClient({ baseUrl: 'http://h', token: 't', fetchImpl: vi.fn(async () => new Response(null, { status: 204 })) });
    await expect(api.markRead('a'.repeat(24), 12)).resolves.toBeUndefined();
  });
});

describe('normalizeServerUrl', () => {
  it('accepts http(s) addresses and trims trailing slashes', () => {
    expect(normalizeServerUrl(' http://127.0.0.1:4000/ ')).toBe('http://127.0.0.1:4000');
    expect(normalizeServerUrl('https://chat.example.com/parley/')).toBe('https://chat.example.com/parley');
  });
  it('refuses anything else', () => {
    expect(normalizeServerUrl('ftp://x')).toBeNull();
    expect(normalizeServerUrl('not a url')).toBeNull();
    expect(normalizeServerUrl('javascript:alert(1)')).toBeNull();
  });
});

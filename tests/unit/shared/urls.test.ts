// The one http(s) check and the one origin, as main and the renderer use them.
import { describe, expect, it } from 'vitest';
import { isHttpUrl, MAX_URL_LENGTH, originOf, parseHttpUrl } from '../../../src/shared/urls.js';

describe('http(s) URLs', () => {
  it('accepts absolute http and https URLs only', () => {
    expect(isHttpUrl('https://chat.example.com/a?b#c')).toBe(true);
    expect(isHttpUrl('http://127.0.0.1:4000')).toBe(true);
    for (const refused of ['file:///etc/passwd', 'javascript:alert(1)', 'app://parley/index.html', 'smb://host/share', '/relative', 'not a url', '']) {
      expect(isHttpUrl(refused)).toBe(false);
    }
  });

  it('refuses anything longer than MAX_URL_LENGTH', () => {
    const base = 'https://example.com/';
    expect(isHttpUrl(base + 'a'.repeat(MAX_URL_LENGTH - base.length))).toBe(true);
    expect(isHttpUrl(base + 'a'.repeat(MAX_URL_LENGTH - base.length + 1))).toBe(false);
  });

  it('parses to the normalized URL', () => {
    expect(parseHttpUrl('HTTPS://Chat.Example.com:443/x')?.href).toBe('https://chat.example.com/x');
  });
});

describe('originOf', () => {
  it('is scheme://host[:port], also for the app scheme, and null without a host', () => {
    expect(originOf('https://chat.example.com:8443/api?x=1')).toBe('https://chat.example.com:8443');
    expect(originOf('http://127.0.0.1:80/')).toBe('http://127.0.0.1');
    expect(originOf('app://parley/index.html')).toBe('app://parley');
    expect(originOf('data:text/plain,hi')).toBeNull();
    expect(originOf('nonsense')).toBeNull();
  });
});

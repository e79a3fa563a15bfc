import { describe, expect, it } from 'vitest';
import { clientIdSchema } from '../../../src/shared/contract';
import { newClientId } from '../../../src/renderer/lib/clientId';
import { formatUnread } from '../../../src/renderer/lib/unread';
import { linkify } from '../../../src/renderer/lib/linkify';
import { isHttpUrl } from '../../../src/shared/urls';

describe('linkify', () => {
  it('finds http(s) links and leaves the rest as text', () => {
    expect(linkify('see https://example.com/a?b=1, and http://x.io.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', url: 'https://example.com/a?b=1' },
      { kind: 'text', text: ', and ' },
      { kind: 'link', text: 'http://x.io', url: 'http://x.io' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps balanced parentheses in a URL and drops a closing one that ends the sentence', () => {
    expect(linkify('(https://en.wikipedia.org/wiki/Foo_(bar))')[1]).toMatchObject({ url: 'https://en.wikipedia.org/wiki/Foo_(bar)' });
  });

  it('never links other schemes, and markup stays text', () => {
    expect(linkify('javascript:alert(1) <img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: 'javascript:alert(1) <img src=x onerror=alert(1)>' }]);
    expect(isHttpUrl('file:///etc/passwd')).toBe(false);
  });
});

describe('client ids', () => {
  it('match the contract and differ every time', () => {
    const ids = new Set(Array.from({ length: 100 }, newClientId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(clientIdSchema.safeParse(id).success).toBe(true);
  });
});

describe('formatUnread', () => {
  it('shows 999+ at the cap', () => {
    expect(formatUnread(3)).toBe('3');
    expect(formatUnread(999)).toBe('999+');
  });
});

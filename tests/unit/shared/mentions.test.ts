// The mention rule shared by the server (which stores who a message mentions) and the
// renderer (which highlights them and suggests names after "@").
import { describe, expect, it } from 'vitest';
import { findMentions, mentionQueryAt, mentionSpans } from '../../../src/shared/mentions.js';

const people = [
  { userId: 'u-bob', username: 'bob' },
  { userId: 'u-alice', username: 'Alice_W' },
  { userId: 'u-dot', username: 'j.doe' },
];

describe('findMentions', () => {
  it('finds members by username, case-insensitively, each once, in order', () => {
    expect(findMentions('hi @alice_w and @BOB, @bob again', people)).toEqual(['u-alice', 'u-bob']);
  });

  it('takes a mention at the start, after punctuation or brackets, and before sentence punctuation', () => {
    expect(findMentions('@bob', people)).toEqual(['u-bob']);
    expect(findMentions('(@bob)', people)).toEqual(['u-bob']);
    expect(findMentions('thanks @bob.', people)).toEqual(['u-bob']);
    expect(findMentions('ask @bob-', people)).toEqual(['u-bob']);
    expect(findMentions('ask @j.doe.', people)).toEqual(['u-dot']);
    expect(findMentions('@bob: hi', people)).toEqual(['u-bob']);
  });

  it('ignores email addresses, longer names, names of non-members and a lone @', () => {
    expect(findMentions('mail bob@example.com', people)).toEqual([]);
    expect(findMentions('hi @bobby and @bob_2 and @bob.smith', people)).toEqual([]);
    expect(findMentions('hi @carol', people)).toEqual([]);
    expect(findMentions('@ @@bob', people)).toEqual([]);
    expect(findMentions('no at sign', people)).toEqual([]);
  });

  it('gives the spans to highlight, the @ included', () => {
    const text = 'hey @Bob, see @j.doe.';
    expect(mentionSpans(text, people).map((s) => [text.slice(s.start, s.end), s.userId])).toEqual([
      ['@Bob', 'u-bob'],
      ['@j.doe', 'u-dot'],
    ]);
  });
});

describe('mentionQueryAt', () => {
  it('is the @word ending at the caret', () => {
    expect(mentionQueryAt('hi @al', 6)).toEqual({ start: 3, query: 'al' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('hi @al there', 6)).toEqual({ start: 3, query: 'al' });
  });

  it('is null outside a mention, after a space, or in an email address', () => {
    expect(mentionQueryAt('hi al', 5)).toBeNull();
    expect(mentionQueryAt('hi @al ', 7)).toBeNull();
    expect(mentionQueryAt('bob@ex', 6)).toBeNull();
  });
});

// @mentions in message text: one rule for the server (which stores who a message
// mentions) and for clients (which highlight the same words). A mention is "@" followed
// by a member's username, matched case-insensitively, not preceded by a letter or digit
// (so "bob@example.com" mentions nobody) and not running on into more username
// characters ("@bobby" is not "@bob"). Trailing dots and dashes end a sentence, not a name:
// "thanks @bob." mentions bob, unless someone is literally called "bob.".
import { LIMITS } from './contractValues.js';

export interface Mentionable {
  userId: string;
  username: string;
}

/** A mention found in text: where it is (the "@" included) and whom it names. */
export interface MentionSpan {
  start: number;
  end: number;
  userId: string;
}

const CANDIDATE = /(?<![A-Za-z0-9_.@-])@([A-Za-z0-9_.-]+)/g;

/** Every mention of one of `people` in `text`, in order of appearance. */
export function mentionSpans(text: string, people: readonly Mentionable[]): MentionSpan[] {
  if (!text.includes('@') || people.length === 0) return [];
  const byName = new Map(people.map((p) => [p.username.toLowerCase(), p.userId]));
  const spans: MentionSpan[] = [];
  for (const match of text.matchAll(CANDIDATE)) {
    // Longer than any username: not a mention (and no work spent on it).
    if (match[1]!.length > LIMITS.usernameMax + 8) continue;
    let name = match[1]!;
    let userId = byName.get(name.toLowerCase());
    // "@bob." or "@bob-": the punctuation belongs to the sentence when no username has it.
    while (userId === undefined && /[.-]$/.test(name)) {
      name = name.slice(0, -1);
      userId = byName.get(name.toLowerCase());
    }
    if (userId === undefined) continue;
    spans.push({ start: match.index, end: match.index + 1 + name.length, userId });
  }
  return spans;
}

/** The distinct people `text` mentions, in order of first mention. */
export function findMentions(text: string, people: readonly Mentionable[]): string[] {
  return [...new Set(mentionSpans(text, people).map((s) => s.userId))];
}

/**
 * The "@word" being typed just before the caret, for the composer's suggestions:
 * `null` when the caret is not in one. `query` is what follows the "@" so far.
 */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(?<![A-Za-z0-9_.@-])@([A-Za-z0-9_.-]{0,32})$/.exec(before);
  return match ? { start: match.index, query: match[1]! } : null;
}

// Which characters Parley accepts in user-written text: messages and room names.
// Text is stored and served exactly as accepted (no normalisation), so anything that
// cannot round-trip through UTF-8 or that only exists to hide or disguise text is
// refused up front. The contract's schemas apply these rules; the server turns a
// failure into `invalid_text` (see hasTextIssue) rather than a generic validation error.
import type { z } from 'zod';

export type TextKind = 'message' | 'name';

/** How many combining marks in a row one base character may carry (stacked "Zalgo" text goes far beyond). */
export const MAX_COMBINING_RUN = 16;

/** UTF-16 halves without their partner: UTF-8 cannot carry them, so storing them would change the text. */
const LONE_SURROGATE = /\p{Cs}/u;
/** C0 and C1 controls, DEL included (\p{Cc}). Messages keep newline and tab; names keep neither. */
const MESSAGE_CONTROL = /(?![\n\t])\p{Cc}/u;
const NAME_CONTROL = /\p{Cc}/u;
/** Bidi embeddings, overrides and isolates: in a name they can make "gnp.exe" read as "exe.png". */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
const COMBINING_PILE = new RegExp(`\\p{M}{${MAX_COMBINING_RUN + 1},}`, 'u');
/**
 * What shows nothing on its own: format characters (zero-width space and joiners, bidi
 * controls), default-ignorables (variation selectors, Hangul fillers, tags), combining
 * marks (which need a base), whitespace, controls and the blank Braille pattern.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{M}\p{White_Space}\p{Cc}\u2800]/gu;

/** Why a piece of text is refused, in words for the user; null when it is acceptable. */
export function textProblem(text: string, kind: TextKind): string | null {
  if (LONE_SURROGATE.test(text)) return 'contains a broken character (an unpaired UTF-16 surrogate)';
  if ((kind === 'name' ? NAME_CONTROL : MESSAGE_CONTROL).test(text)) {
    return kind === 'name' ? 'may not contain control characters, line breaks or tabs' : 'may not contain control characters (line breaks and tabs are fine)';
  }
  if (COMBINING_PILE.test(text)) return `may not stack more than ${MAX_COMBINING_RUN} combining marks on one character`;
  if (kind === 'name') {
    if (BIDI_CONTROL.test(text)) return 'may not contain bidirectional override, embedding or isolate characters';
    if (text.length > 0 && text.replace(INVISIBLE, '').length === 0) return 'needs at least one visible character';
  }
  return null;
}

/** Marks a zod issue as a text-rule refusal, so transports can answer `invalid_text`. */
const TEXT_RULE_PARAM = 'parleyTextRule';

/** A zod check applying textProblem; add it to a string schema with `.superRefine(...)`. */
export function textRules(kind: TextKind) {
  return (value: string, ctx: z.RefinementCtx<string>): void => {
    const problem = textProblem(value, kind);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { [TEXT_RULE_PARAM]: kind } });
  };
}

/** True when any of the error's problems is a text rule (the answer's code is then invalid_text). */
export function hasTextIssue(error: z.ZodError): boolean {
  return error.issues.some((issue) => issue.code === 'custom' && issue.params?.[TEXT_RULE_PARAM] !== undefined);
}

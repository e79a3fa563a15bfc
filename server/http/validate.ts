import type { z } from 'zod';
import { fieldErrors } from '../../src/shared/contract.js';
import { hasTextIssue } from '../../src/shared/text.js';
import { AppError } from '../domain/errors.js';

/**
 * Parses untrusted input with a contract schema; a failure becomes a 400 naming each bad
 * field: `invalid_text` when characters broke the text rules (src/shared/text.ts),
 * `validation_failed` otherwise.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = fieldErrors(result.error);
  const summary = Object.entries(fields)
    .map(([field, message]) => (field === '_' ? message : `${field}: ${message}`))
    .join('; ');
  throw new AppError(hasTextIssue(result.error) ? 'invalid_text' : 'validation_failed', `Invalid input: ${summary}`, fields);
}

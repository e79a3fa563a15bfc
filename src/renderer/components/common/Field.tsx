// Runs in: the renderer. A labelled text input with its rules and its error beside it,
// both linked with aria-describedby.
import { useId, type InputHTMLAttributes } from 'react';

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  /** Rules shown before submitting, e.g. "At least 8 characters". */
  hint?: string;
  error?: string | null;
  /** The error is the server's answer to a submit: announced at once (role "alert"). */
  announceError?: boolean;
}

export function Field({ label, hint, error, announceError, className, ...input }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${error ? 'field-invalid' : ''} ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error" role={announceError ? 'alert' : undefined}>
          {error}
        </p>
      )}
    </div>
  );
}

/** "must be at least 8 characters" -> "Must be at least 8 characters". */
export const sentence = (text: string): string => (text ? text[0]!.toUpperCase() + text.slice(1) : text);

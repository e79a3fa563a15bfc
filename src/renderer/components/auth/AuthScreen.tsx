// Runs in: the renderer. Sign in and registration, with rules shown up front, errors next
// to their fields, and the server's refusal in an alert.
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { LIMITS, loginBody, registerBody, fieldErrors, type ErrorCode } from '../../../shared/contract';
import { ApiRequestError, errorMessage, normalizeServerUrl } from '../../api/client';
import { lastServerUrl } from '../../session/client';
import { useClient } from '../../session/context';
import { DEFAULT_SERVER_URL } from '../../platform/bridge';
import { selectSessionNotice, useSessionStore } from '../../stores/session';
import { Field, sentence } from '../common/Field';

type Mode = 'sign-in' | 'register';
type Errors = Record<string, string>;

const SERVER_URL_ERROR = 'Enter an address starting with http:// or https://';

/** Field messages for what the server said, in the form's words. */
const CONFLICT_FIELDS: Partial<Record<ErrorCode, Errors>> = {
  username_taken: { username: 'That username is already taken. Choose another one.' },
  email_taken: { email: 'An account with that email already exists. Sign in instead?' },
};

function serverFieldErrors(error: ApiRequestError): Errors {
  const conflict = CONFLICT_FIELDS[error.code];
  if (conflict) return conflict;
  const fields: Errors = {};
  for (const [key, value] of Object.entries(error.error.fields ?? {})) fields[key] = sentence(value);
  return fields;
}

export function AuthScreen() {
  const [mode, setMode] = useState<Mode>('sign-in');
  const [serverUrl, setServerUrl] = useState(() => lastServerUrl() ?? DEFAULT_SERVER_URL);
  return (
    <div className="auth-screen">
      <div className="auth-card">
        <div className="brand" aria-hidden="true">
          <span className="brand-mark">P</span>
          <span className="brand-name">Parley</span>
        </div>
        {mode === 'sign-in' ? (
          <SignInForm serverUrl={serverUrl} setServerUrl={setServerUrl} onSwitch={() => setMode('register')} />
        ) : (
          <RegisterForm serverUrl={serverUrl} setServerUrl={setServerUrl} onSwitch={() => setMode('sign-in')} />
        )}
      </div>
    </div>
  );
}

interface FormProps {
  serverUrl: string;
  setServerUrl: (url: string) => void;
  onSwitch: () => void;
}

function useFormState() {
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const clear = (field: string) =>
    setErrors((current) => {
      if (!(field in current)) return current;
      const next = { ...current };
      delete next[field];
      return next;
    });
  return { errors, setErrors, formError, setFormError, busy, setBusy, clear };
}

async function submitWith(
  state: ReturnType<typeof useFormState>,
  validate: () => { errors: Errors; url: string | null },
  send: (url: string) => Promise<void>,
) {
  state.setFormError(null);
  const { errors, url } = validate();
  if (!url) errors.serverUrl = SERVER_URL_ERROR;
  state.setErrors(errors);
  if (Object.keys(errors).length > 0 || !url) return;
  state.setBusy(true);
  try {
    await send(url);
  } catch (error) {
    if (error instanceof ApiRequestError) state.setErrors(serverFieldErrors(error));
    state.setFormError(errorMessage(error));
    state.setBusy(false);
  }
}

/** The contract's own rules, checked before anything is sent; the URL must be http(s). */
function validate(schema: z.ZodType, values: Record<string, string>, serverUrl: string): { errors: Errors; url: string | null } {
  const parsed = schema.safeParse(values);
  const errors = parsed.success ? {} : fieldErrors(parsed.error);
  return { errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, sentence(v)])), url: normalizeServerUrl(serverUrl) };
}

/** The same server address field on both forms, kept in AuthScreen so switching keeps it. */
function ServerUrlField({ value, onChange, state }: { value: string; onChange: (url: string) => void; state: ReturnType<typeof useFormState> }) {
  return (
    <Field
      label="Server URL"
      name="serverUrl"
      inputMode="url"
      autoComplete="url"
      spellCheck={false}
      className="field-server"
      value={value}
      error={state.errors.serverUrl}
      onChange={(e) => {
        onChange(e.target.value);
        state.clear('serverUrl');
      }}
    />
  );
}

function SignInForm({ serverUrl, setServerUrl, onSwitch }: FormProps) {
  const notice = useSessionStore(selectSessionNotice);
  const client = useClient();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const state = useFormState();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submitWith(
      state,
      () => validate(loginBody, { login, password }, serverUrl),
      (url) => client.signIn(url, { login: login.trim(), password }),
    );
  };

  return (
    <form className="auth-form" onSubmit={onSubmit} noValidate aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">Sign in to Parley</h1>
      <p className="auth-lede">Welcome back. Your rooms are waiting.</p>
      {notice && (
        <p role="alert" className="banner banner-warning">
          {notice}
        </p>
      )}
      <Field
        label="Username or email"
        name="login"
        autoComplete="username"
        autoFocus
        value={login}
        error={state.errors.login}
        onChange={(e) => {
          setLogin(e.target.value);
          state.clear('login');
        }}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        error={state.errors.password}
        onChange={(e) => {
          setPassword(e.target.value);
          state.clear('password');
        }}
      />
      <ServerUrlField value={serverUrl} onChange={setServerUrl} state={state} />
      {state.formError && (
        <p role="alert" className="banner banner-error">
          {state.formError}
        </p>
      )}
      <button type="submit" className="button button-primary button-block" disabled={state.busy} aria-busy={state.busy || undefined}>
        {state.busy ? 'Signing in…' : 'Sign in'}
      </button>
      <p className="auth-switch">
        New to Parley?{' '}
        <button type="button" className="link-button" onClick={onSwitch}>
          Create an account
        </button>
      </p>
    </form>
  );
}

function RegisterForm({ serverUrl, setServerUrl, onSwitch }: FormProps) {
  const [email, setEmail] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const state = useFormState();
  const client = useClient();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submitWith(
      state,
      () => validate(registerBody, { email, username, password }, serverUrl),
      (url) => client.register(url, { email: email.trim(), username: username.trim(), password }),
    );
  };

  return (
    <form className="auth-form" onSubmit={onSubmit} noValidate aria-labelledby="register-heading">
      <h1 id="register-heading">Create your Parley account</h1>
      <p className="auth-lede">It takes a few seconds. No credit card, no nonsense.</p>
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        autoFocus
        value={email}
        error={state.errors.email}
        onChange={(e) => {
          setEmail(e.target.value);
          state.clear('email');
        }}
      />
      <Field
        label="Username"
        name="username"
        autoComplete="username"
        spellCheck={false}
        hint={`${LIMITS.usernameMin}–${LIMITS.usernameMax} letters, digits, _ . -`}
        value={username}
        error={state.errors.username}
        onChange={(e) => {
          setUsername(e.target.value);
          state.clear('username');
        }}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint={`At least ${LIMITS.passwordMin} characters`}
        value={password}
        error={state.errors.password}
        onChange={(e) => {
          setPassword(e.target.value);
          state.clear('password');
        }}
      />
      <ServerUrlField value={serverUrl} onChange={setServerUrl} state={state} />
      {state.formError && (
        <p role="alert" className="banner banner-error">
          {state.formError}
        </p>
      )}
      <button type="submit" className="button button-primary button-block" disabled={state.busy} aria-busy={state.busy || undefined}>
        {state.busy ? 'Creating account…' : 'Create account'}
      </button>
      <p className="auth-switch">
        Already have an account?{' '}
        <button type="button" className="link-button" onClick={onSwitch}>
          I have an account
        </button>
      </p>
    </form>
  );
}

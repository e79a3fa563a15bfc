// Runs in: the renderer. The typed REST client: one method per route of the contract,
// every refusal parsed into the contract's ApiError and thrown as ApiRequestError.
import { parseHttpUrl } from '../../shared/urls';
import type {
  ApiError,
  AuthResponse,
  ErrorBody,
  ErrorCode,
  HistoryPage,
  LoginBody,
  MeResponse,
  RegisterBody,
  Role,
  RoomDetailResponse,
  RoomsResponse,
  RoomSummaryResponse,
} from '../../shared/contract';
import { ERROR_CODES } from '../../shared/contractValues';

/** A request the server refused (status >= 400) or could not be reached for (status 0). */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
  ) {
    super(error.message);
    this.name = 'ApiRequestError';
  }

  get code(): ErrorCode {
    return this.error.code;
  }
}

/** The people-facing text for anything thrown by the API client or a socket ack. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiRequestError) return error.error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong. Try again.';
}

export function isSessionError(error: unknown): boolean {
  return error instanceof ApiRequestError && (error.code === 'session_expired' || error.code === 'unauthenticated');
}

/** Trims the URL a person typed to an origin-like base: "http://host:4000/" -> "http://host:4000". */
export function normalizeServerUrl(input: string): string | null {
  const url = parseHttpUrl(input.trim());
  return url && `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** One cursor at most (none: the latest page). Cursors are message seqs; `around` is a message id. */
export interface HistoryRequest {
  /** Messages older than this seq. */
  before?: number;
  /** Messages newer than this seq, or 'start' for the first messages of the room. */
  after?: number | 'start';
  /** A page centred on this message (links and notifications). */
  around?: string;
  limit?: number;
}

export interface ApiClientOptions {
  baseUrl: string;
  token?: string | null;
  /** Called when an authenticated request is refused because the session is gone. */
  onSessionEnded?: (error: ApiRequestError) => void;
  fetchImpl?: typeof fetch;
}

const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);

function parseErrorBody(status: number, body: unknown): ApiError {
  const candidate = (body as Partial<ErrorBody> | null)?.error;
  if (candidate && isErrorCode(candidate.code) && typeof candidate.message === 'string') {
    const error: ApiError = { code: candidate.code, message: candidate.message };
    if (candidate.fields && typeof candidate.fields === 'object') error.fields = candidate.fields;
    if (typeof candidate.retryAfterMs === 'number' && candidate.retryAfterMs >= 0) error.retryAfterMs = candidate.retryAfterMs;
    return error;
  }
  if (status === 401) return { code: 'unauthenticated', message: 'Sign in first.' };
  if (status === 429) return { code: 'rate_limited', message: 'Too many attempts; try again later.' };
  if (status >= 500) return { code: 'service_unavailable', message: 'The server had a problem. Try again in a moment.' };
  return { code: 'internal_error', message: `The server answered with status ${status}.` };
}

export class ApiClient {
  readonly baseUrl: string;
  private readonly token: string | null;
  private readonly onSessionEnded: ((error: ApiRequestError) => void) | undefined;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token ?? null;
    this.onSessionEnded = options.onSessionEnded;
    this.fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
  }

  async request<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: object): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}/api${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiRequestError(0, {
        code: 'service_unavailable',
        message: `Could not reach the server at ${this.baseUrl}. Check the address and your connection.`,
      });
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (!response.ok) {
      const apiError = parseErrorBody(response.status, parsed);
      // A proxy's 429/503 may carry only the standard header (whole seconds).
      const header = Number(response.headers.get('Retry-After'));
      if (apiError.retryAfterMs === undefined && Number.isFinite(header) && header > 0) apiError.retryAfterMs = header * 1000;
      const error = new ApiRequestError(response.status, apiError);
      if (this.token && isSessionError(error)) this.onSessionEnded?.(error);
      throw error;
    }
    return parsed as T;
  }

  register(body: RegisterBody): Promise<AuthResponse> {
    return this.request('POST', '/auth/register', body);
  }
  login(body: LoginBody): Promise<AuthResponse> {
    return this.request('POST', '/auth/login', body);
  }
  logout(): Promise<void> {
    return this.request('POST', '/auth/logout');
  }
  me(): Promise<MeResponse> {
    return this.request('GET', '/me');
  }
  rooms(): Promise<RoomsResponse> {
    return this.request('GET', '/rooms');
  }
  createRoom(name: string): Promise<RoomSummaryResponse> {
    return this.request('POST', '/rooms', { name });
  }
  room(roomId: string): Promise<RoomDetailResponse> {
    return this.request('GET', `/rooms/${roomId}`);
  }
  renameRoom(roomId: string, name: string): Promise<RoomDetailResponse> {
    return this.request('PATCH', `/rooms/${roomId}`, { name });
  }
  deleteRoom(roomId: string): Promise<void> {
    return this.request('DELETE', `/rooms/${roomId}`);
  }
  addMember(roomId: string, username: string): Promise<RoomDetailResponse> {
    return this.request('POST', `/rooms/${roomId}/members`, { username });
  }
  removeMember(roomId: string, userId: string): Promise<void> {
    return this.request('DELETE', `/rooms/${roomId}/members/${userId}`);
  }
  setRole(roomId: string, userId: string, role: Role): Promise<RoomDetailResponse> {
    return this.request('PUT', `/rooms/${roomId}/members/${userId}/role`, { role });
  }
  history(roomId: string, query: HistoryRequest = {}): Promise<HistoryPage> {
    const params = new URLSearchParams();
    if (query.before !== undefined) params.set('before', String(query.before));
    if (query.after !== undefined) params.set('after', String(query.after));
    if (query.around !== undefined) params.set('around', query.around);
    if (query.limit) params.set('limit', String(query.limit));
    const qs = params.toString();
    return this.request('GET', `/rooms/${roomId}/messages${qs ? `?${qs}` : ''}`);
  }
  /** Read up to `seq` (the server keeps the maximum); the socket's room:read does the same. */
  markRead(roomId: string, seq: number): Promise<void> {
    return this.request('POST', `/rooms/${roomId}/read`, { seq });
  }
}

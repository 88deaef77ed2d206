import type { components } from './api-types';

// The hub's HTTP API (docs/api.md) as the dashboard calls it: JSON in and out, the session
// cookie sent by the browser, the CSRF token on every request but GET.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrf = '';
export function setCsrf(token: string): void {
  csrf = token;
}

async function answer<T>(r: Response): Promise<T> {
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new ApiError(r.status, (body as { error?: string }).error ?? r.statusText);
  return body as T;
}

export async function get<T>(path: string): Promise<T> {
  return answer<T>(await fetch(path, { headers: { Accept: 'application/json' } }));
}

export async function post<T>(path: string, body: unknown): Promise<T> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (csrf) headers['X-CSRF-Token'] = csrf;
  return answer<T>(await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) }));
}

// A file as the request's body (POST /api/v1/import).
export async function postFile<T>(path: string, file: Blob): Promise<T> {
  const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
  if (csrf) headers['X-CSRF-Token'] = csrf;
  return answer<T>(await fetch(path, { method: 'POST', headers, body: file }));
}

// `path=P&from=...&to=...` of an asset and a time range (ms since the epoch).
export function rangeQuery(path: string, fromMs: number, toMs: number): string {
  return new URLSearchParams({
    path,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
  }).toString();
}

// The API's types, generated from its OpenAPI description (src/api/openapi.yaml →
// api-types.ts, `npm run types`): a page that reads what the API does not answer fails the
// type check.
export type Schemas = components['schemas'];
export type Session = Schemas['Session'];
// Who is there: null when the hub wants a login (401).
export async function currentSession(): Promise<Session | null> {
  try {
    const s = await get<Session>('/api/v1/session');
    if (s.csrf) setCsrf(s.csrf);
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function logIn(user: string, password: string): Promise<Session> {
  const s = await post<Session>('/api/v1/login', { user, password });
  if (s.csrf) setCsrf(s.csrf);
  return s;
}

export async function logOut(): Promise<void> {
  await post('/api/v1/logout', {});
  setCsrf('');
}

export type Equipment = Schemas['Equipment'];
export type AlarmState = Schemas['AlarmState'];
export type OeeRow = Schemas['OeeRow'];
export type Latest = Schemas['Latest'];
export type Bucket = Schemas['Bucket'];
export type ModelSummary = Schemas['ModelSummary'];
export type ModelDetail = Schemas['ModelDetail'];
export type ModelAlarm = Schemas['ModelAlarm'];
export type Lineage = Schemas['Lineage'];
export type StoredRecord = Schemas['StoredRecord'];
export type QuarantinedRecord = Schemas['QuarantinedRecord'];
export type User = Schemas['User'];
export type Token = Schemas['Token'];
export type AuditEntry = Schemas['AuditEntry'];
export type SignedHead = Schemas['SignedHead'];
export type LedgerCheck = Schemas['LedgerCheck'];

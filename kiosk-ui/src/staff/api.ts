/** Calls to the staff API from the browser (session cookie, same origin). */
import { t } from './i18n.ts';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: unknown) {
    super(message);
  }
}

export async function api<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { accept: 'application/json', ...headers } };
  if (body instanceof Blob || body instanceof ArrayBuffer) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, 'content-type': 'application/json' };
  }
  const res = await fetch(url, init);
  const data = (await res.json().catch(() => null)) as { error?: { code: string; message: string; details: unknown } } | null;
  if (!res.ok) {
    const e = data?.error;
    throw new ApiError(res.status, e?.code ?? 'staff.internal', e?.message ?? t('staff.internal'), e?.details ?? null);
  }
  return data as T;
}

export function today(): string {
  const p = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return p;
}

/** What to show for a failed call: the field messages when the server gave them, else its message. */
export function apiProblem(err: unknown): string {
  if (!(err instanceof ApiError)) return String(err);
  const fields = Array.isArray(err.details) ? (err.details as Array<{ message?: string }>).map((d) => d.message ?? '').filter(Boolean) : [];
  return fields.length ? fields.join('；') : err.message;
}

import type { ApiErrorBody, FieldError } from './types';

/** An error answer from the API (or a network failure, status 0), with its stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
    readonly allowed: string[] = [],
    readonly retryAfterSeconds: number | null = null,
    /** The complaints an error is about (e.g. those still open when erasing a customer's data). */
    readonly complaints: string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Let the request outlive the page (a tab closing): fetch's keepalive, small bodies only. */
  keepalive?: boolean;
}

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

/** Remembers the CSRF token returned by login or /auth/me (the `sen_csrf` cookie is the fallback). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Registers what to do when a staff request answers 401 (the console sends the user to login). */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

// Public portal calls (customers, outside parties' reply links) and the login call itself must not
// bounce the user to the login page.
function isStaffCall(path: string): boolean {
  return (
    path.startsWith('/api/v1/') &&
    !path.startsWith('/api/v1/portal/') &&
    !path.startsWith('/api/v1/public/') &&
    !path.startsWith('/api/v1/auth/login')
  );
}

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function toApiError(res: Response, data: unknown): ApiError {
  const retryHeader = res.headers.get('Retry-After');
  const retryAfter = retryHeader && /^\d+$/.test(retryHeader) ? Number(retryHeader) : null;
  const body = (data as Partial<ApiErrorBody> | null)?.error;
  if (body && typeof body.code === 'string') {
    return new ApiError(
      res.status,
      body.code,
      typeof body.message === 'string' ? body.message : '',
      Array.isArray(body.fields) ? body.fields : [],
      Array.isArray(body.allowed) ? body.allowed : [],
      retryAfter,
      Array.isArray(body.complaints) ? body.complaints.filter((c): c is string => typeof c === 'string') : [],
    );
  }
  return new ApiError(res.status, `http_${res.status}`, '', [], [], retryAfter);
}

/** Sends one JSON request; resolves with the parsed body or throws an ApiError. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': document.documentElement.lang === 'en' ? 'en' : 'vi',
    ...options.headers,
  };
  // A FormData body (file uploads) sets its own multipart Content-Type with the boundary.
  const isForm = typeof FormData !== 'undefined' && options.body instanceof FormData;
  if (options.body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken ?? readCookie('sen_csrf');
    if (token) headers['X-CSRF-Token'] = token;
  }

  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : isForm ? (options.body as FormData) : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
      keepalive: options.keepalive,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', '');
  }

  const text = res.status === 204 ? '' : await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && isStaffCall(path)) {
      csrfToken = null;
      unauthorizedHandler?.();
    }
    throw toApiError(res, data);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('PUT', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
  /** multipart/form-data (files); the browser writes the boundary. */
  postForm: <T>(path: string, form: FormData, options?: RequestOptions) =>
    request<T>('POST', path, { ...options, body: form }),
};

/** True when the promise was cancelled because the component went away. */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/**
 * The one HTTP client: adds the bearer token, and turns the API's error shape
 * `{"error": {"code", "message", "details"}}` into react-admin's HttpError with the API's own message
 * and `body.errors` (field → message) so react-admin forms show server-side validation on the fields.
 * Where the API is and whose token to send are the caller's: the console's API is under `/api`, a host
 * platform may mount it under its own prefix and authenticate its own way.
 */
import { fetchUtils, HttpError } from 'react-admin';
import { getToken as sessionToken } from './session';
import { i18nProvider } from '../i18n';

/** The bearer token to send, if any (by default the console's own session, see session.ts). */
export type TokenSource = () => string | undefined;

/** Where the fangfan API is (`/api` in the console, e.g. `/fangfan/api` in a host) and whose token to send. */
export interface ApiConnection {
  apiUrl: string;
  getToken?: TokenSource;
}

export interface ApiErrorDetail {
  field?: string;
  rule: string;
  message: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: ApiErrorDetail[]; [extra: string]: unknown };
}

export function isApiErrorBody(body: unknown): body is ApiErrorBody {
  return !!body && typeof body === 'object' && 'error' in body && typeof (body as ApiErrorBody).error?.message === 'string';
}

/** `details` as react-admin's server-side validation errors (`{field: message, root: {serverError}}`). */
export function raValidationErrors(body: ApiErrorBody): Record<string, unknown> {
  const errors: Record<string, unknown> = {};
  for (const d of body.error.details ?? []) {
    if (d.field && !(d.field in errors)) errors[d.field] = d.message;
  }
  errors.root = { serverError: body.error.message };
  return errors;
}

/** Rethrow an HTTP failure with the API's message and details. */
export function normalizeError(err: unknown): unknown {
  if (err instanceof HttpError && isApiErrorBody(err.body)) {
    const body = err.body;
    return new HttpError(body.error.message, err.status, { ...body, errors: raValidationErrors(body) });
  }
  return err;
}

export interface HttpClient {
  /** The base URL without a trailing slash; paths are appended to it. */
  apiUrl: string;
  /** A JSON request (react-admin's fetchJson) with the token. */
  json(url: string, options?: fetchUtils.Options): ReturnType<typeof fetchUtils.fetchJson>;
  /** A raw fetch with the token (downloads, uploads); errors come back as HttpError like json's. */
  raw(url: string, init?: RequestInit): Promise<Response>;
}

export function createHttpClient({ apiUrl, getToken = sessionToken }: ApiConnection): HttpClient {
  const authHeaders = (init?: HeadersInit): Headers => {
    const headers = new Headers(init ?? { Accept: 'application/json' });
    const token = getToken();
    if (token) headers.set('Authorization', `Bearer ${token}`);
    // The API's messages in the console's language, not the browser's (server/error-language.ts).
    if (!headers.has('Accept-Language')) headers.set('Accept-Language', i18nProvider.getLocale() === 'en' ? 'en' : 'zh-CN');
    return headers;
  };
  return {
    apiUrl: apiUrl.replace(/\/+$/, ''),
    async json(url, options = {}) {
      try {
        return await fetchUtils.fetchJson(url, { ...options, headers: authHeaders(options.headers as HeadersInit | undefined) });
      } catch (err) {
        throw normalizeError(err);
      }
    },
    async raw(url, init = {}) {
      const res = await fetch(url, { ...init, headers: authHeaders(init.headers) });
      if (!res.ok) {
        let body: unknown;
        try {
          body = await res.json();
        } catch {
          body = undefined;
        }
        throw normalizeError(new HttpError(isApiErrorBody(body) ? body.error.message : res.statusText, res.status, body));
      }
      return res;
    },
  };
}

/**
 * File uploads that report their progress (fetch cannot): XMLHttpRequest with the bearer token.
 * Evidence goes up resumably (a village connection drops): `POST /files/uploads` starts it, chunks follow
 * from the offset the server kept (`PUT /files/uploads/{id}` with Content-Range), and after a drop the
 * upload asks for that offset again and goes on from there by itself, waiting a little longer each time.
 * A refusal comes back as the API's HttpError (message and details); a connection that stays down as an
 * HttpError with status 0 that carries the upload's id, so that a retry by hand resumes it too.
 */
import { HttpError } from 'react-admin';
import { i18nProvider } from '../i18n';
import { getToken as sessionToken } from './session';
import { isApiErrorBody, normalizeError, type ApiConnection } from './http';

/** One chunk: small enough to get through a weak connection between two drops. */
export const CHUNK_BYTES = 256 * 1024;
/** Automatic retries after a drop before the user is asked (1 s, 2 s, 4 s … apart, at most 15 s). */
const RETRIES = 6;

interface Sent {
  status: number;
  body: unknown;
}

function send(method: string, url: string, connection: ApiConnection, body: XMLHttpRequestBodyInit | null, headers: Record<string, string>, onProgress?: (loaded: number) => void): Promise<Sent> {
  return new Promise<Sent>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.setRequestHeader('Accept', 'application/json');
    // The API's messages in the console's language (as the fetch client asks, api/http.ts).
    xhr.setRequestHeader('Accept-Language', i18nProvider.getLocale() === 'en' ? 'en' : 'zh-CN');
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    const token = (connection.getToken ?? sessionToken)();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded);
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = undefined;
      }
      resolve({ status: xhr.status, body: parsed });
    };
    xhr.onerror = () => reject(new HttpError('network', 0));
    xhr.ontimeout = () => reject(new HttpError('network', 0));
    xhr.send(body);
  });
}

const refusal = (sent: Sent) => normalizeError(new HttpError(isApiErrorBody(sent.body) ? sent.body.error.message : String(sent.status), sent.status, sent.body));

/** The SHA-256 of the file when the browser can compute it (a secure context): the server checks what arrived against it. */
async function digest(file: File): Promise<string | undefined> {
  if (!globalThis.crypto?.subtle) return undefined;
  const hash = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, '0')).join('');
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ResumableOptions {
  /** The share sent so far (0–1). */
  onProgress?: (sent: number) => void;
  /** An upload started before (a retry by hand): it goes on from the server's offset. */
  uploadId?: string;
}

/** Thrown when the connection stays down: `uploadId` resumes it later. */
export class UploadInterrupted extends HttpError {
  constructor(readonly uploadId: string) {
    super('network', 0);
  }
}

export async function uploadResumable<T>(apiUrl: string, file: File, connection: ApiConnection, opts: ResumableOptions = {}): Promise<T> {
  const base = `${apiUrl}/files/uploads`;
  const json = { 'Content-Type': 'application/json' };
  let id = opts.uploadId;
  let offset = 0;
  if (id) {
    const state = await send('GET', `${base}/${id}`, connection, null, {}).catch(() => undefined);
    if (state?.status === 200) offset = (state.body as { offset: number }).offset;
    else if (state) id = undefined; // lapsed or finished: start again
    else throw new UploadInterrupted(id);
  }
  if (!id) {
    const sha256 = await digest(file);
    const started = await send('POST', base, connection, JSON.stringify({ name: file.name || 'file', size: file.size, ...(sha256 ? { sha256 } : {}) }), json);
    if (started.status !== 201) throw refusal(started);
    id = (started.body as { id: string }).id;
  }
  let failures = 0;
  for (;;) {
    const end = Math.min(offset + CHUNK_BYTES, file.size);
    opts.onProgress?.(offset / file.size);
    let sent: Sent;
    try {
      const from = offset;
      sent = await send('PUT', `${base}/${id}`, connection, file.slice(from, end), { 'Content-Type': 'application/octet-stream', 'Content-Range': `bytes ${from}-${end - 1}/${file.size}` }, (loaded) =>
        opts.onProgress?.((from + loaded) / file.size),
      );
    } catch {
      sent = { status: 0, body: undefined };
    }
    if (sent.status === 201) {
      opts.onProgress?.(1);
      return sent.body as T;
    }
    if (sent.status === 200) {
      offset = (sent.body as { offset: number }).offset;
      failures = 0;
      continue;
    }
    if (sent.status === 409 && isApiErrorBody(sent.body)) {
      offset = Number((sent.body.error as { offset?: number }).offset ?? offset); // the server kept more, or less, than thought
      continue;
    }
    if (sent.status !== 0 && sent.status < 500) throw refusal(sent);
    // Dropped (or the server stumbled): wait, ask where the upload stands, go on from there.
    if (++failures > RETRIES) throw new UploadInterrupted(id);
    await wait(Math.min(1000 * 2 ** (failures - 1), 15_000));
    const state = await send('GET', `${base}/${id}`, connection, null, {}).catch(() => undefined);
    if (state?.status === 200) offset = (state.body as { offset: number }).offset;
    else if (state && state.status !== 0 && state.status < 500) throw refusal(state);
  }
}

/** A form posted in one request (a department's list: the server reads it whole), its bytes sent reported as they go. */
export async function postForm<T>(url: string, form: FormData, connection: ApiConnection, onProgress?: (loaded: number) => void): Promise<T> {
  let sent: Sent;
  try {
    sent = await send('POST', url, connection, form, {}, onProgress);
  } catch {
    throw normalizeError(new HttpError('network', 0));
  }
  if (sent.status < 200 || sent.status >= 300) throw refusal(sent);
  return sent.body as T;
}

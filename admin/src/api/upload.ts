/**
 * A file upload that reports its progress (fetch cannot): XMLHttpRequest with the bearer token, the
 * file in the multipart field `file`. A refusal comes back as the API's HttpError (message and details);
 * a dropped connection as an HttpError with status 0, which the caller may retry.
 */
import { HttpError } from 'react-admin';
import { getToken as sessionToken } from './session';
import { isApiErrorBody, normalizeError, type ApiConnection } from './http';

export function uploadWithProgress<T>(url: string, file: File, connection: ApiConnection, onProgress?: (sent: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    const token = (connection.getToken ?? sessionToken)();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(1);
        resolve(body as T);
      } else {
        reject(normalizeError(new HttpError(isApiErrorBody(body) ? body.error.message : xhr.statusText, xhr.status, body)));
      }
    };
    xhr.onerror = () => reject(new HttpError('network', 0));
    xhr.ontimeout = () => reject(new HttpError('network', 0));
    const body = new FormData();
    body.append('file', file, file.name);
    xhr.send(body);
  });
}

/** Helpers for tests of API keys and integrations: make a key through the admin API, call with it. */
import type { InjectOptions } from 'fastify';
import type { TestApp } from './app';

export async function createKey(t: TestApp, scopes: string[], name = `测试系统 ${scopes.join(' ')}`): Promise<{ id: string; key: string }> {
  const res = await t.call('admin', { method: 'POST', url: '/api/api-keys', payload: { name, scopes } });
  if (res.statusCode !== 201) throw new Error(`create key: ${res.statusCode} ${res.body}`);
  const { id, key } = res.json();
  return { id, key };
}

/** `app.inject` with an API key (or any bearer value). */
export function withKey(t: TestApp, key: string, opts: InjectOptions) {
  return t.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${key}` } });
}

export const json = (o: unknown) => encodeURIComponent(JSON.stringify(o));
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll until `check` holds (the read model follows the workflow by a moment). */
export async function eventually<T>(get: () => Promise<T>, check: (v: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  let v = await get();
  while (!check(v) && Date.now() < until) {
    await sleep(100);
    v = await get();
  }
  return v;
}

/** A valid, random 18-digit ID number of 渝北区 (GB 11643 check digit). */
export function randomIdNumber(): string {
  const birth = new Date(Date.UTC(1950 + Math.floor(Math.random() * 50), Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 28)));
  const body = `500112${birth.toISOString().slice(0, 10).replace(/-/g, '')}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = body.split('').reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return body + '10X98765432'[sum % 11];
}

/**
 * A fresh household of the register (random id), so that case ids never meet those of another test
 * file: every file's database numbers cases from 1, but all files share one Temporal server.
 */
export async function newHousehold(t: TestApp, place: { town: string; village: string }, extra: Record<string, unknown> = {}): Promise<{ id: string; idNumber: string; phone: string }> {
  const idNumber = randomIdNumber();
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const res = await t.call('admin', { method: 'POST', url: '/api/households', payload: { headName: '测试户', idNumber, phone, memberCount: 3, ...place, ...extra } });
  if (res.statusCode !== 201) throw new Error(`new household: ${res.statusCode} ${res.body}`);
  return { id: res.json().id, idNumber, phone };
}

export const RONGGUANG = { town: '统景镇', village: '荣光村' } as const;
export const YINHE = { town: '统景镇', village: '印盒村' } as const;
export const JIXING = { town: '古路镇', village: '吉星村' } as const;

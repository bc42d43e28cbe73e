/**
 * docs/api.md documents exactly the operations the app's OpenAPI document describes. Compared by
 * `METHOD path`, not byte for byte, so a changed summary or schema does not fail the suite, while an
 * added, removed or renamed route does until the page is regenerated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app';
import { REPO_ROOT } from '../../server/config';
import { operationsInDocument, operationsInMarkdown, type OpenApiDocument } from '../../scripts/lib/api-markdown';

const REGENERATE = 'docs/api.md is out of date with the OpenAPI document: regenerate it with `npx tsx scripts/api-doc.ts`';

describe('docs/api.md', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ worker: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists every operation of the OpenAPI document, and no other', async () => {
    const served = operationsInDocument((await t.app.inject({ url: '/documentation/json' })).json() as OpenApiDocument);
    const documented = operationsInMarkdown(readFileSync(join(REPO_ROOT, 'docs', 'api.md'), 'utf8'));
    expect(served.length, 'the OpenAPI document lists no operation').toBeGreaterThan(0);
    expect(served.filter((op) => !documented.includes(op)), `${REGENERATE} (operations missing from the page)`).toEqual([]);
    expect(documented.filter((op) => !served.includes(op)), `${REGENERATE} (operations the app no longer serves)`).toEqual([]);
  });
});

describe('the OpenAPI document says what the API answers', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, { responses: Record<string, any>; parameters?: any[] }>> };
  beforeAll(async () => {
    t = await startTestApp({ worker: false });
    doc = (await t.app.inject({ url: '/documentation/json' })).json();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('every operation lists the errors it may answer, in the error shape', async () => {
    const ops = Object.entries(doc.paths).flatMap(([path, o]) => Object.entries(o).map(([method, op]) => ({ path, method, op })));
    for (const { path, method, op } of ops) {
      const codes = Object.keys(op.responses);
      expect(codes, `${method} ${path}`).toEqual(expect.arrayContaining(['429', '503']));
      if (path.includes('{')) expect(codes, `${method} ${path}`).toEqual(expect.arrayContaining(['400', '404']));
      expect(op.responses['429'].content['application/json'].schema.$ref, `${method} ${path}`).toBe('#/components/schemas/Error');
    }
    const start = doc.paths['/api/processes'].post.responses;
    expect(Object.keys(start)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409', '422']));
    // What a client is actually told for an unknown case is in that shape.
    const res = await t.call('admin', { method: 'GET', url: '/api/processes/identification%3ANOPE%3A1' });
    expect(res.statusCode).toBe(404);
    expect(Object.keys(res.json().error).sort()).toEqual(['code', 'details', 'message']);
  });

  it("a list's sort, range and filter are JSON texts, described with their JSON schema", () => {
    const params = doc.paths['/api/steps'].get.parameters!;
    const byName = Object.fromEntries(params.map((p) => [p.name, p]));
    expect(byName.range.content['application/json'].schema).toMatchObject({ type: 'array', items: { type: 'integer' } });
    expect(byName.sort.content['application/json'].schema).toMatchObject({ type: 'array', minItems: 2, maxItems: 2 });
    expect(byName.filter.content['application/json'].schema).toMatchObject({ type: 'object' });
    expect(byName.filter.schema).toBeUndefined();
  });

  it('a path the API has, with a method it does not take there, is a 405 naming the methods it takes', async () => {
    const res = await t.call('admin', { method: 'DELETE', url: '/api/processes' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, POST');
    expect(res.json().error.code).toBe('method_not_allowed');
    expect((await t.call('admin', { method: 'PUT', url: '/api/processes/identification%3AH1%3A1/steps/homeVerification' })).headers.allow).toBe('POST');
    expect((await t.call('admin', { method: 'DELETE', url: '/api/no-such-thing' })).statusCode).toBe(404);
    // A GET the console's page fallback would take is answered the same when the path is the API's.
    const get = await t.call('admin', { method: 'GET', url: '/api/alerts' });
    expect(get.statusCode).toBe(405);
    expect(get.headers.allow).toBe('POST');
    expect((await t.call('admin', { method: 'GET', url: '/api/no-such-thing' })).statusCode).toBe(404);
  });

  it('describes the API only: the console served beside it is not an operation of the document', () => {
    expect(Object.keys(doc.paths).filter((path) => !path.startsWith('/api/'))).toEqual([]);
  });
});

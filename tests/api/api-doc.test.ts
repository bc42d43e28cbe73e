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

/**
 * Case numbers people read out on the phone (`认定-2026-0012`): every case gets one when the read model
 * first sees it, the list, the case and the inbox rows carry it, and the case list's and the inbox's
 * search find a case by it; a read model rebuilt into an empty database gives each case its number back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app';
import { CaseNumber, initORM } from '../../db';
import { reproject } from '../../scripts/reproject';
import { RONGGUANG, eventually, json, newHousehold } from '../helpers/integrations';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const CADRE = 'cadre.rongguang';
const beijingYear = () => new Date(Date.now() + 8 * 3600_000).getUTCFullYear();

async function startIdentification(): Promise<string> {
  const household = await newHousehold(t, RONGGUANG);
  const res = await t.call(CADRE, {
    method: 'POST',
    url: '/api/processes',
    payload: { type: 'identification', input: { householdId: household.id, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '户主患病，收入骤减' } },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const get = async (url: string) => {
  const res = await t.call(CADRE, { method: 'GET', url });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('case numbers', () => {
  it('each case has its own number of its process and year, found by the case list and the inbox search', async () => {
    const first = await startIdentification();
    const second = await startIdentification();
    const numberOf = (id: string) => eventually(async () => (await get(`/api/processes/${encodeURIComponent(id)}`)).caseNo as string | undefined, (n) => !!n);
    const a = (await numberOf(first))!;
    const b = (await numberOf(second))!;
    expect(a).toMatch(new RegExp(`^认定-${beijingYear()}-\\d{4}$`));
    expect(b).toMatch(new RegExp(`^认定-${beijingYear()}-\\d{4}$`));
    expect(a).not.toBe(b);

    // The number stays with the case as it moves on (later projections do not renumber it).
    const listed = await get(`/api/processes?filter=${json({ q: b })}`);
    expect(listed.map((p: { id: string; caseNo: string }) => [p.id, p.caseNo])).toEqual([[second, b]]);
    // The number's tail alone finds it too.
    const byTail = await get(`/api/processes?filter=${json({ q: b.slice(-4) })}`);
    expect(byTail.map((p: { id: string }) => p.id)).toContain(second);

    const inbox = await get(`/api/steps?filter=${json({ status: 'open', q: a })}`);
    expect(inbox.length).toBeGreaterThan(0);
    expect(inbox.every((s: { processId: string; caseNo: string }) => s.processId === first && s.caseNo === a)).toBe(true);
  });

  it('a read model rebuilt into an empty database gives every case the number it had', async () => {
    for (let i = 0; i < 3; i++) await startIdentification();
    const ids = (await t.db.em().find(CaseNumber, {})).map((n) => n.processId);
    const numbered = async (db: typeof t.db) =>
      Object.fromEntries((await db.em().find(CaseNumber, {}, { orderBy: { processId: 'ASC' } })).map((n) => [n.processId, n.caseNo]));
    const live = await numbered(t.db);
    expect(Object.keys(live).length).toBeGreaterThanOrEqual(5);
    const dir = mkdtempSync(join(tmpdir(), 'fangfan-case-numbers-'));
    const rebuilt = await initORM(join(dir, 'rebuilt.sqlite'));
    try {
      // Queried in parallel (as many at once as there are cases): the numbers follow the start, not the answers' order.
      await reproject({ client: t.client, db: rebuilt, query: `TaskQueue = "${t.taskQueue}"`, concurrency: ids.length });
      expect(await numbered(rebuilt)).toEqual(live);
    } finally {
      await rebuilt.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

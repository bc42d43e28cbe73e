/**
 * Evidence rules as policy values (issue 22): how many files a step needs and how large a step's files
 * may be together come from the policy's `evidence` section; a photo taken long before its step opened
 * or far from its village is flagged to the reviewer in the history, never refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicy } from '../../policy';
import { DEFAULT_EVIDENCE_POLICY } from '../../policy/evidence';
import { startTestApp, type TestApp } from '../helpers/app';
import { identificationAtNotice, noisePhoto, photo, upload } from '../helpers/evidence';

const SHORT = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
const CADRE = 'cadre.rongguang';
const TOWN = 'town.tongjing';
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const notice = { postedOn: today, endedOn: today, location: '村务公开栏' };

let t: TestApp;
beforeAll(async () => {
  // The test policy, with a district that asks for two notice photos and at most 1 MB of them.
  const file = join(mkdtempSync(join(tmpdir(), 'fangfan-policy-')), 'policy.yaml');
  writeFileSync(file, `${readFileSync(SHORT, 'utf8')}\nevidence:\n  required: { identification: { publicNotice: 2 } }\n  stepMegabytes: 1\n  photoMaxAgeDays: 3\n  photoMaxDistanceKm: 5\n`);
  t = await startTestApp({ policyFile: file });
});
afterAll(async () => t?.close());

const step = (id: string, body: object) => t.call(CADRE, { method: 'POST', url: `/api/processes/${encodeURIComponent(id)}/steps/publicNotice`, payload: body });
const uploaded = async (bytes: Buffer) => {
  const res = await upload(t, CADRE, '公示.jpg', bytes, 'image/jpeg');
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; size: number };
};

describe('evidence policy', () => {
  it('a policy without the section reads as today’s rules: one photo of each notice, acceptance and fix, 50 MB a step, flags at 7 days and 5 km', () => {
    expect(loadPolicy(SHORT).evidence).toEqual(DEFAULT_EVIDENCE_POLICY);
    expect(DEFAULT_EVIDENCE_POLICY).toMatchObject({ stepMegabytes: 50, photoMaxAgeDays: 7, photoMaxDistanceKm: 5, required: { identification: { publicNotice: 1 }, houseRebuild: { acceptance: 1, payment: 1 }, rectification: { fix: 1 } } });
  });

  it('asks for as many photos as the policy says, and refuses a step whose files come to more than its limit, naming the field', async () => {
    const id = await identificationAtNotice(t);
    const one = await uploaded(await photo({ colour: '#335577' }));
    let res = await step(id, { ...notice, photos: [one.id] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'photos', rule: 'requiredEvidence' })]);
    expect(res.json().error.message).toContain('至少 2 份');

    const big = [await uploaded(await noisePhoto(11, 1200, 1000)), await uploaded(await noisePhoto(12, 1200, 1000))];
    expect(big[0]!.size + big[1]!.size).toBeGreaterThan(1024 * 1024);
    res = await step(id, { ...notice, photos: big.map((f) => f.id) });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([expect.objectContaining({ field: 'photos.1', rule: 'maxStepSize' })]);
    expect(res.json().error.message).toContain('1 MB');
  });

  it('flags, never refuses, a photo taken long before the step opened or far from the village: the history tells the reviewer', async () => {
    const id = await identificationAtNotice(t);
    // 29°43′N 106°37′30″E lies some 25 km from 荣光村 (统景镇); taken in spring.
    const far = await uploaded(await photo({ colour: '#552211', exif: { takenAt: '2026:03:01 10:00:00', latitude: '29/1 43/1 0/1', longitude: '106/1 37/1 30/1' } }));
    const fresh = await uploaded(await photo({ colour: '#225511' }));
    const res = await step(id, { ...notice, photos: [far.id, fresh.id] });
    expect(res.statusCode, res.body).toBe(200);
    const history = (await t.call(TOWN, { method: 'GET', url: `/api/processes/${encodeURIComponent(id)}/history` })).json() as { step?: string; files?: { id: string; flags?: { rule: string; km?: number; days?: number }[] }[] }[];
    const files = history.find((e) => e.step === 'publicNotice')!.files!;
    const flags = files.find((f) => f.id === far.id)!.flags!;
    expect(flags.map((f) => f.rule)).toEqual(['takenBeforeStep', 'farFromVillage']);
    expect(flags[0]!.days).toBeGreaterThan(3);
    expect(flags[1]!.km).toBeGreaterThan(5);
    expect(files.find((f) => f.id === fresh.id)!.flags).toBeUndefined();
  });
});

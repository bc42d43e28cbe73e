/**
 * P4's evidence as uploads (issue 22): the report's photos at the start and the site photos of a progress
 * report are file ids (recorded with their hashes, then the case's: the town reads them), beside the
 * typed-in references of running cases, which are still accepted; a file not the sender's is refused
 * naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from '../helpers/app';
import { photoId } from '../helpers/evidence';
import { eventually } from '../helpers/integrations';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ policyFile });
});
afterAll(async () => t?.close());

const CADRE = 'cadre.rongguang';
const TOWN = 'town.tongjing';
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const url = (id: string, tail = '') => `/api/processes/${encodeURIComponent(id)}${tail}`;
const start = (as: string, input: object) => t.call(as, { method: 'POST', url: '/api/processes', payload: { type: 'houseRebuild', input } });
const step = (as: string, id: string, key: string, body: object) => t.call(as, { method: 'POST', url: url(id, `/steps/${key}`), payload: body });
const report = (as: string, id: string, body: object) => t.call(as, { method: 'POST', url: url(id, '/signals/progressReport'), payload: body });
const get = (as: string, path: string) => t.call(as, { method: 'GET', url: path });

describe('P4 evidence: uploaded photos at the start and in progress reports', () => {
  it('takes the start’s photos as file ids (and the earlier text references), then the town reads them', async () => {
    const base = { householdId: 'H00000002', description: '墙体开裂', onlyHouse: true };
    const someoneElses = await photoId(t, 'cadre.rongguang2');
    let res = await start(CADRE, { ...base, photos: [someoneElses] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details[0]).toMatchObject({ field: 'input.photos.0', rule: 'file' });
    res = await start(CADRE, { ...base, photos: ['not a file id'] });
    expect(res.statusCode).toBe(400);

    const photo = await photoId(t, CADRE);
    expect((await get(TOWN, `/api/files/${photo}`)).statusCode).toBe(404); // not the town's before the case has it
    res = await start(CADRE, { ...base, photos: [photo], attachments: ['旧档案/危房照片01'] });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    expect((await get(TOWN, `/api/files/${photo}`)).statusCode).toBe(200);
    expect((await get(TOWN, `/api/files/${photo}/thumbnail`)).statusCode).toBe(200);
    expect((await get('cadre.jixing', `/api/files/${photo}`)).statusCode).toBe(404);

    // Up to the works, then a progress report with site photos; one with the earlier text references still goes.
    for (const [who, key, form] of [
      [TOWN, 'eligibility', { decision: 'eligible', checkedOn: today }],
      ['zhujian', 'appraisal', { grade: 'C', appraiser: '区房屋安全鉴定站 张工', appraisedOn: today }],
      [TOWN, 'plan', { summary: '加固承重墙' }],
      [CADRE, 'constructionStart', { startedOn: today }],
    ] as const) {
      const done = await eventually(() => step(who, id, key, form), (r) => r.statusCode === 200, 30_000);
      expect(done.statusCode, `${key} ${done.body}`).toBe(200);
    }
    const progress = { reportedOn: today, percent: 40, description: '承重墙加固中' };
    res = await report(CADRE, id, { ...progress, photos: [someoneElses] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details[0]).toMatchObject({ field: 'photos.0', rule: 'file' });
    const site = await photoId(t, CADRE);
    expect((await report(CADRE, id, { ...progress, photos: [site] })).statusCode).toBe(202);
    expect((await report(CADRE, id, { ...progress, percent: 60, attachments: ['site/2.jpg'] })).statusCode).toBe(202);
    const state = (await eventually(() => get(TOWN, url(id)).then((r) => r.json()), (d) => d.state?.data?.progress?.length === 2, 30_000)).state;
    expect(state.data.progress.map((p: { photos?: string[]; attachments?: string[] }) => p.photos ?? p.attachments)).toEqual([[site], ['site/2.jpg']]);
    expect((await get(TOWN, `/api/files/${site}`)).statusCode).toBe(200);

    // The case's history records the report's photo with its hash.
    const history = (await get(TOWN, url(id, '/history'))).json();
    const entries = Array.isArray(history) ? history : history.entries;
    const sha256 = (await get(CADRE, `/api/files/${site}`)).headers.etag;
    const reported = entries.find((e: { kind: string; files?: unknown[] }) => e.kind === 'signal' && e.files?.length);
    expect(reported.files.map((f: { id: string; sha256: string }) => [f.id, `"${f.sha256}"`])).toEqual([[site, sha256]]);
    // And the start's photo with its hash, from the case's first event (its input).
    const started = entries.find((e: { kind: string }) => e.kind === 'started');
    const photoHash = (await get(CADRE, `/api/files/${photo}`)).headers.etag;
    expect(started.files.map((f: { id: string; sha256: string; field?: string }) => [f.id, `"${f.sha256}"`, f.field])).toEqual([[photo, photoHash, 'photos']]);
  }, 120_000);
});

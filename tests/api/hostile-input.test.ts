/**
 * Hostile input, property-based (fast-check): malformed bodies (wrong types, huge strings, unknown
 * fields, `__proto__` / `constructor` pollution, SQL and script fragments, impossible dates, not an
 * object at all, wrong content types) at every POST and PUT endpoint, hostile path parameters and
 * list querystrings. Every answer is a 4xx with the error shape and a message, never a 5xx, and
 * neither the database nor the workflows change. Also the transport limits: body sizes and the
 * security headers (with the admin console still loading under its Content-Security-Policy).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { stateQuery } from '../../contracts/messages';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/app';
import { RONGGUANG, createKey, eventually, newHousehold } from '../helpers/integrations';
import { bpmn, chain } from '../helpers/bpmn';
import { Process } from '../../db';
import Fastify from 'fastify';
import ExcelJS from 'exceljs';
import { metricsPlugin } from '../../server/metrics';
import { loggerOptions } from '../../server/privacy';
import { buildServer } from '../../server/standalone';
import { loadPolicy, policyValues } from '../../policy';

const ADMIN_DIST = fileURLToPath(new URL('../../admin/dist', import.meta.url));
const RUNS = 40;

let t: TestApp;
let caseId: string;
let householdId: string;
let integrationKey: string;

// ---------------------------------------------------------------- hostile material

const SQL = ["' OR '1'='1", "'; DROP TABLE household; --", '1; DELETE FROM app_user', "\" OR 1=1 --", "admin'--", '%', '_', '\\', "') UNION SELECT password_hash FROM app_user --"];
const SCRIPT = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '{{constructor.constructor("alert(1)")()}}', '${process.exit(1)}', '\u0000', '\u202e', '😀'.repeat(50)];
const BAD_DATES = ['2026-02-30', '2026-13-01', '2026-00-10', 'yesterday', '2026/11/20', '20261120', '', '2026-11-20T25:00:00', '0000-00-00', '２０２６-１１-２０'];

const hostileString = fc.oneof(fc.constantFrom(...SQL, ...SCRIPT), fc.string({ maxLength: 50 }), fc.string({ unit: 'grapheme', maxLength: 30 }));
const anyValue = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(hostileString, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), hostileString, { maxKeys: 3 }));

/** A value of another JSON type than `v` (never null where null might be allowed). */
function wrongTypeOf(v: unknown): fc.Arbitrary<unknown> {
  if (typeof v === 'string') return fc.oneof(fc.integer(), fc.boolean(), fc.array(hostileString, { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 5 }), hostileString, { maxKeys: 2 }));
  if (typeof v === 'number') return fc.oneof(fc.constantFrom('5', '1e3', 'NaN', ...SQL), fc.boolean(), fc.array(fc.integer(), { maxLength: 2 }), fc.constant({}), fc.constant(null));
  if (typeof v === 'boolean') return fc.oneof(fc.constantFrom('true', 'false', 1, 0, null), fc.constant([]));
  if (Array.isArray(v)) return fc.oneof(hostileString, fc.integer(), fc.constant({ 0: 'a' }), fc.constant(true));
  return fc.oneof(hostileString, fc.integer(), fc.array(hostileString, { maxLength: 2 }), fc.constant(true));
}

interface BodySpec {
  /** The caller(s) to send as: a username, or 'key' for the integration key. */
  as: string[];
  url: () => string;
  method: 'POST' | 'PUT';
  /** A valid body: every generated one is this with at least one certain defect. */
  base: () => Record<string, unknown>;
  required?: string[];
  dates?: string[];
}

/** Every write endpoint: a body spec, or why it takes no body (its path parameters are fuzzed below). */
const WRITES: Record<string, BodySpec | { noBody: string }> = {
  'POST /api/auth/login': { as: ['anonymous'], method: 'POST', url: () => '/api/auth/login', base: () => ({ username: 'admin', password: 'not-the-password' }), required: ['username', 'password'] },
  'POST /api/auth/logout': { noBody: 'ends the session; takes no body' },
  'POST /api/auth/password': { as: ['admin'], method: 'POST', url: () => '/api/auth/password', base: () => ({ currentPassword: DEMO_PASSWORD, newPassword: 'a-new-password-1' }), required: ['currentPassword', 'newPassword'] },
  'POST /api/processes': {
    as: ['admin', 'key'],
    method: 'POST',
    url: () => '/api/processes',
    base: () => ({ type: 'identification', input: { householdId, channel: 'cadre_check', category: 'marginal', riskTypes: ['illness'], description: '说明' } }),
    required: ['type', 'input'],
  },
  'POST /api/alerts': { as: ['admin', 'key'], method: 'POST', url: () => '/api/alerts', base: () => ({ householdId, department: '区医保局', description: '预警' }), required: ['householdId', 'department', 'description'] },
  'POST /api/processes/:id/signals/:signal': {
    as: ['admin', 'key'],
    method: 'POST',
    url: () => `/api/processes/${encodeURIComponent(caseId)}/signals/objection`,
    base: () => ({ raisedBy: '村民', content: '异议' }),
    required: ['raisedBy', 'content'],
  },
  'POST /api/processes/:id/steps/:stepKey': {
    as: ['admin'],
    method: 'POST',
    url: () => `/api/processes/${encodeURIComponent(caseId)}/steps/homeVerification`,
    base: () => ({ verifiedOn: '2026-11-20', coVerifierId: 'cadre.rongguang2', memberCount: 3, perCapitaIncome: 5000, guarantees: { foodClothing: 'secure', education: 'secure', medical: 'secure', housing: 'secure', water: 'secure' }, findings: '属实' }),
    required: ['verifiedOn', 'coVerifierId', 'memberCount', 'findings', 'guarantees'],
    dates: ['verifiedOn'],
  },
  'POST /api/processes/:id/cancel': { as: ['admin'], method: 'POST', url: () => `/api/processes/${encodeURIComponent(caseId)}/cancel`, base: () => ({ reason: '撤销原因' }), required: ['reason'] },
  'POST /api/households': {
    as: ['admin'],
    method: 'POST',
    url: () => '/api/households',
    base: () => ({ headName: '新户', idNumber: '500112199001011234', phone: '13900000000', ...RONGGUANG, memberCount: 2 }),
    required: ['headName', 'idNumber', 'town', 'village', 'memberCount'],
  },
  'PUT /api/households/:id': { as: ['admin'], method: 'PUT', url: () => `/api/households/${householdId}`, base: () => ({ memberCount: 4, headName: '改名' }) },
  'PUT /api/households/:id/members': { as: ['admin'], method: 'PUT', url: () => `/api/households/${householdId}/members`, base: () => ({ members: [] }), required: ['members'] },
  'PUT /api/households/:id/contact-cadre': {
    as: ['admin'],
    method: 'PUT',
    url: () => `/api/households/${householdId}/contact-cadre`,
    base: () => ({ userId: 'cadre.rongguang', reason: '测试' }),
    required: ['userId'],
  },
  'POST /api/households/import': { noBody: 'a multipart upload: fuzzed below with non-multipart and oversized bodies' },
  'POST /api/calendar/reload': { noBody: 'reloads the holiday file; takes no body' },
  'PUT /api/calendar/:year': {
    as: ['admin'],
    method: 'PUT',
    url: () => '/api/calendar/2040',
    base: () => ({ source: '测试通知', holidays: [{ date: '2040-01-01', name: '元旦' }], workdays: ['2040-01-07'] }),
    required: ['holidays', 'workdays'],
  },
  'POST /api/files': { noBody: 'a multipart upload: fuzzed below with non-multipart, unbounded and cut-off bodies' },
  'POST /api/files/uploads': { as: ['admin'], method: 'POST', url: () => '/api/files/uploads', base: () => ({ name: '公示照片.jpg', size: 2048 }), required: ['name', 'size'] },
  'PUT /api/files/uploads/:id': { noBody: 'a chunk of raw bytes under Content-Range: ranges that do not start at the offset, beyond the size, malformed or cut off are refused in tests/api/file-uploads.test.ts' },
  'POST /api/villages': { as: ['admin'], method: 'POST', url: () => '/api/villages', base: () => ({ town: '统景镇', name: '测试新村' }), required: ['town', 'name'] },
  'POST /api/users/:id/unlock': { noBody: 'lifts a login lock; takes no body (ids fuzzed below)' },
  'PUT /api/users/:id': { as: ['admin'], method: 'PUT', url: () => '/api/users/cadre.jixing', base: () => ({ name: '刘建国', active: true }) },
  'POST /api/users': { as: ['admin'], method: 'POST', url: () => '/api/users', base: () => ({ username: 'hostile.user', name: '测试用户', roles: ['district_supervisor'], password: 'a-long-password' }), required: ['username', 'name', 'roles', 'password'] },
  'POST /api/users/:id/password': { as: ['admin'], method: 'POST', url: () => '/api/users/caizheng/password', base: () => ({ password: 'a-long-password' }), required: ['password'] },
  'POST /api/accountability': {
    as: ['supervisor'], method: 'POST', url: () => '/api/accountability',
    base: () => ({ kind: 'talk', target: '统景镇人民政府', reason: '逾期事项较多', decidedOn: '2026-12-01', measure: '约谈提醒', processIds: [] }),
    required: ['kind', 'target', 'reason', 'decidedOn', 'measure', 'processIds'],
  },
  'POST /api/api-keys': { as: ['admin'], method: 'POST', url: () => '/api/api-keys', base: () => ({ name: '系统', scopes: ['alert'] }), required: ['name', 'scopes'] },
  'DELETE /api/api-keys/:id': { noBody: 'revokes; takes no body (ids fuzzed below)' },
  'POST /api/api-keys/:id/revoke': { noBody: 'revokes; takes no body (ids fuzzed below)' },
  'POST /api/dead-letters/:id/replay': { noBody: 'replays; takes no body (ids fuzzed below)' },
  'POST /api/policy/versions': {
    as: ['admin'],
    method: 'POST',
    url: () => '/api/policy/versions',
    base: () => ({ values: policyValues(loadPolicy()), effectiveFrom: '2099-01-01', note: '说明' }),
    required: ['values', 'effectiveFrom'],
    dates: ['effectiveFrom'],
  },
  'POST /api/policy/versions/:id/activate': { noBody: 'activates; takes no body (ids fuzzed below)' },
  'POST /api/process-definitions': {
    as: ['admin'],
    method: 'POST',
    url: () => '/api/process-definitions',
    base: () => ({ key: 'hostileDraft', title: { zh: '测试', en: 'Test' }, bpmn: bpmn(`<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>${chain('s', 'e')}`), forms: {}, startRoles: ['village_cadre'] }),
    required: ['key', 'title', 'bpmn', 'startRoles'],
  },
  'POST /api/process-definitions/:id/publish': { noBody: 'publishes; takes no body (ids fuzzed below)' },
  'POST /api/integrations/medical-settlements': { as: ['admin'], method: 'POST', url: () => '/api/integrations/medical-settlements', base: () => ({}) },
  'POST /api/data-exchange/batches': {
    as: ['admin'],
    method: 'POST',
    url: () => '/api/data-exchange/batches',
    base: () => ({ department: '区民政局', kind: '低保变动', records: [{ idNumber: '500112199001011234', name: '某某', subsistenceCancelled: true }] }),
    required: ['department', 'kind', 'records'],
  },
};

/** One generated request: the body as raw JSON text (pollution needs raw text) and what is wrong with it. */
interface Mutated {
  payload: string;
  contentType: string;
  defects: string[];
}

function mutatedBody(spec: BodySpec): fc.Arbitrary<Mutated> {
  const base = spec.base();
  const fields = Object.keys(base);
  const defect = fc.oneof(
    // unknown fields, hostile values
    fc.record({ kind: fc.constant('unknownField'), name: fc.constantFrom('isAdmin', 'role', 'roles_', '$where', 'sql', 'passwordHash', '__debug'), value: anyValue }),
    // a field of the wrong type
    ...(fields.length ? [fc.constantFrom(...fields).chain((f) => wrongTypeOf(base[f]).map((value) => ({ kind: 'wrongType', name: f, value })))] : []),
    // a huge string where a bounded one goes (beyond every maxLength; past 1 MiB: 413)
    ...(fields.some((f) => typeof base[f] === 'string')
      ? [fc.record({ kind: fc.constant('hugeString'), name: fc.constantFrom(...fields.filter((f) => typeof base[f] === 'string')), value: fc.constantFrom(3_000, 70_000, 1_100_000).map((n) => 'Ａ'.repeat(n)) })]
      : []),
    // prototype pollution, at the top or one level down
    fc.record({ kind: fc.constant('pollution'), name: fc.constantFrom('__proto__', 'constructor'), value: fc.constant(null) }),
    // an impossible or malformed date
    ...(spec.dates?.length ? [fc.record({ kind: fc.constant('wrongDate'), name: fc.constantFrom(...spec.dates), value: fc.constantFrom(...BAD_DATES) })] : []),
    // a required field missing
    ...(spec.required?.length ? [fc.record({ kind: fc.constant('missing'), name: fc.constantFrom(...spec.required), value: fc.constant(null) })] : []),
    // not an object at all, or not JSON, or not declared as JSON
    fc.record({ kind: fc.constant('notAnObject'), name: fc.constant(''), value: fc.oneof(fc.array(anyValue, { maxLength: 3 }), fc.integer(), hostileString, fc.constant(null), fc.constant(true)) }),
    fc.record({ kind: fc.constant('badJson'), name: fc.constant(''), value: fc.constantFrom('{"a":', '{a:1}', "{'a':1}", '[1,2', '{"a":1}}', 'undefined', '\u0000') }),
    fc.record({ kind: fc.constant('contentType'), name: fc.constant(''), value: fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded') }),
  );
  // SQL and script fragments in the fields that stay valid, on top of the certain defects.
  const sprinkle = fc.array(fc.record({ name: fc.constantFrom(...(fields.length ? fields : ['x'])), value: fc.constantFrom(...SQL, ...SCRIPT) }), { maxLength: 2 });
  return fc.tuple(fc.array(defect, { minLength: 1, maxLength: 3 }), sprinkle).map(([defects, sprinkles]) => {
    let body: Record<string, unknown> = structuredClone(base);
    for (const s of sprinkles) if (typeof body[s.name] === 'string') body[s.name] = s.value;
    let raw: string | undefined;
    let contentType = 'application/json';
    const kinds: string[] = [];
    for (const d of defects as { kind: string; name: string; value: unknown }[]) {
      kinds.push(`${d.kind}${d.name ? `:${d.name}` : ''}`);
      switch (d.kind) {
        case 'unknownField':
          body[d.name] = d.value;
          break;
        case 'wrongType':
        case 'hugeString':
        case 'wrongDate':
          body[d.name] = d.value;
          break;
        case 'missing':
          delete body[d.name];
          break;
        case 'pollution':
          raw = undefined;
          body = { ...body, [`${d.name}-placeholder`]: 1 };
          break;
        case 'notAnObject':
          raw = JSON.stringify(d.value);
          break;
        case 'badJson':
          raw = d.value as string;
          break;
        case 'contentType':
          contentType = d.value as string;
          break;
      }
    }
    let payload = raw ?? JSON.stringify(body);
    // Pollution is raw JSON text: an own "__proto__" / "constructor" key, as an attacker would send it.
    payload = payload
      .replace(/"__proto__-placeholder":1/g, '"__proto__":{"isAdmin":true,"roles":["admin"]}')
      .replace(/"constructor-placeholder":1/g, '"constructor":{"prototype":{"isAdmin":true}}');
    return { payload, contentType, defects: kinds };
  });
}

// ---------------------------------------------------------------- the state that must not change

async function snapshot() {
  const conn = t.db.em().getConnection();
  const tables = ['household', 'process', 'step', 'open_case', 'app_user', 'login_throttle', 'session', 'api_key', 'dead_letter', 'idempotency_record', 'village'];
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    // (api_key.last_used_at moves when the integration key is used: not a change by the request.)
    const rows = (await conn.execute(`select * from ${table} order by 1`)).map((r: Record<string, unknown>) => ({ ...r, last_used_at: undefined }));
    // login_throttle would count a login attempt that got past validation: part of the digest.
    out[table] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16)}`;
  }
  const state = await t.client.workflow.getHandle(caseId).query(stateQuery);
  out.caseRevision = state.revision;
  out.caseStage = state.stage;
  out.workflows = (await t.client.workflow.count(`TaskQueue = "${t.taskQueue}"`)).count;
  return out;
}

async function send(as: string, opts: InjectOptions) {
  if (as === 'anonymous') return t.app.inject(opts);
  if (as === 'key') return t.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${integrationKey}` } });
  return t.call(as, opts);
}

function expectClientError(res: { statusCode: number; body: string }, what: string) {
  if (res.statusCode < 400 || res.statusCode >= 500) throw new Error(`${what}: expected a 4xx, got ${res.statusCode} ${res.body.slice(0, 300)}`);
  let body: any;
  try {
    body = JSON.parse(res.body);
  } catch {
    throw new Error(`${what}: ${res.statusCode} without a JSON error body: ${res.body.slice(0, 200)}`);
  }
  if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string' || !body.error.message.trim()) {
    throw new Error(`${what}: ${res.statusCode} without a clear message: ${res.body.slice(0, 200)}`);
  }
}

beforeAll(async () => {
  // The default policy: no deadline passes during the test, so the case changes only if a request changes it.
  t = await startTestApp({ limits: { loginPerIp: 10_000, loginPerUser: 10_000, perKey: 100_000, keyFailuresPerIp: 10_000 } });
  householdId = (await newHousehold(t, RONGGUANG)).id;
  const started = await t.call('cadre.rongguang', { method: 'POST', url: '/api/processes', payload: { type: 'identification', input: { householdId, channel: 'cadre_check', category: 'marginal', riskTypes: ['other'], description: '敌意输入测试' } } });
  expect(started.statusCode).toBe(201);
  caseId = started.json().id;
  // The read model follows the case by a moment: wait until it holds the case's current revision, so
  // that the snapshots below compare settled states.
  const revisions = async () => [(await t.client.workflow.getHandle(caseId).query(stateQuery)).revision, (await t.db.em().findOne(Process, { id: caseId }))?.revision];
  const [stateRevision, rowRevision] = await eventually(revisions, ([state, row]) => state === row);
  expect(rowRevision).toBe(stateRevision);
  integrationKey = (await createKey(t, ['alert', 'start:identification', 'signal:identification.objection'])).key;
  for (const u of ['admin', 'cadre.rongguang', 'supervisor']) await t.login(u);
});
afterAll(async () => t?.close());

// ---------------------------------------------------------------- properties

describe('hostile bodies at every write endpoint', () => {
  let before: Record<string, unknown>;
  beforeAll(async () => {
    before = await snapshot();
  });

  it('every POST, PUT and DELETE endpoint is covered here', () => {
    const writes = [...new Set(t.routes.filter((r) => r.url.startsWith('/api/') && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)).map((r) => `${r.method} ${r.url}`))];
    expect(writes.filter((w) => !(w in WRITES)), 'write endpoints without a hostile-input spec').toEqual([]);
  });

  for (const [endpoint, spec] of Object.entries(WRITES)) {
    if ('noBody' in spec) continue;
    it(`${endpoint}: 4xx with a message, never 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(mutatedBody(spec), fc.constantFrom(...spec.as), async (m, as) => {
          const res = await send(as, { method: spec.method, url: spec.url(), payload: m.payload, headers: { 'content-type': m.contentType } });
          expectClientError(res, `${as} ${endpoint} [${m.defects.join(', ')}] ${m.payload.slice(0, 120)}`);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('hostile path parameters: ids, keys, signals and steps that do not exist or cannot', async () => {
    const hostileId = fc.oneof(
      fc.constantFrom(...SQL, ...SCRIPT, '..', '../../etc/passwd', '%00', 'identification:H99999999:1', 'x'.repeat(300), '%E0%A4%A', ' '),
      fc.string({ minLength: 1, maxLength: 40 }),
    ).filter((id) => !/^\s*\d+\s*$/.test(id) && !['admin', 'supervisor', 'cadre.jixing'].includes(id)); // real audit ids, years and users answer 200
    const route = fc.constantFrom(
      (id: string) => ({ method: 'GET' as const, url: `/api/processes/${id}` }),
      (id: string) => ({ method: 'GET' as const, url: `/api/processes/${id}/history` }),
      (id: string) => ({ method: 'GET' as const, url: `/api/processes/${id}/notice` }),
      (id: string) => ({ method: 'GET' as const, url: `/api/processes/${id}/documents` }),
      (id: string) => ({ method: 'GET' as const, url: `/api/processes/${encodeURIComponent(caseId)}/documents/${id}` }),
      (id: string) => ({ method: 'POST' as const, url: `/api/processes/${id}/cancel`, payload: { reason: '撤销' } }),
      (id: string) => ({ method: 'POST' as const, url: `/api/processes/${id}/signals/objection`, payload: { raisedBy: 'a', content: 'b' } }),
      (id: string) => ({ method: 'POST' as const, url: `/api/processes/${encodeURIComponent(caseId)}/signals/${id}`, payload: {} }),
      (id: string) => ({ method: 'POST' as const, url: `/api/processes/${encodeURIComponent(caseId)}/steps/${id}`, payload: {} }),
      (id: string) => ({ method: 'GET' as const, url: `/api/households/${id}` }),
      (id: string) => ({ method: 'PUT' as const, url: `/api/households/${id}`, payload: { memberCount: 2 } }),
      (id: string) => ({ method: 'GET' as const, url: `/api/users/${id}` }),
      (id: string) => ({ method: 'POST' as const, url: `/api/users/${id}/unlock` }),
      (id: string) => ({ method: 'DELETE' as const, url: `/api/api-keys/${id}` }),
      (id: string) => ({ method: 'POST' as const, url: `/api/api-keys/${id}/revoke` }),
      (id: string) => ({ method: 'POST' as const, url: `/api/dead-letters/${id}/replay` }),
      (id: string) => ({ method: 'GET' as const, url: `/api/audit/${id}` }),
      (id: string) => ({ method: 'GET' as const, url: `/api/calendar/${id}` }),
      (id: string) => ({ method: 'GET' as const, url: `/api/policy/versions/${id}` }),
      (id: string) => ({ method: 'POST' as const, url: `/api/policy/versions/${id}/activate` }),
      (id: string) => ({ method: 'GET' as const, url: `/api/process-definitions/${id}` }),
      (id: string) => ({ method: 'POST' as const, url: `/api/process-definitions/${id}/publish` }),
    );
    await fc.assert(
      fc.asyncProperty(route, hostileId, fc.boolean(), async (make, rawId, encode) => {
        const id = encode ? encodeURIComponent(rawId) : rawId.replace(/[/?#\s]/g, '_');
        const opts = make(id);
        const res = await send('admin', opts);
        expectClientError(res, `${opts.method} ${opts.url}`);
      }),
      { numRuns: 80 },
    );
  });

  it('hostile headers: Idempotency-Key, Authorization, content types', async () => {
    const url = `/api/processes/${encodeURIComponent(caseId)}/signals/objection`;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom('', ' ', 'a b', 'x'.repeat(200), "'; DROP TABLE idempotency_record; --", '<script>'), fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/^[A-Za-z0-9._:-]{1,128}$/.test(s))), async (key) => {
        const res = await send('admin', { method: 'POST', url, payload: { raisedBy: 'a', content: 'b' }, headers: { 'idempotency-key': key } });
        expectClientError(res, `Idempotency-Key ${JSON.stringify(key)}`);
      }),
      { numRuns: 30 },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom('Bearer', 'Bearer ', 'Basic YWRtaW46ZGVtbzEyMzQ=', 'Bearer ffk_', `Bearer ffk_${'0'.repeat(12)}_${'A'.repeat(43)}`, "Bearer ' OR 1=1 --"), fc.string({ maxLength: 60 }).map((s) => `Bearer ${s}`)), async (authorization) => {
        const res = await t.app.inject({ method: 'GET', url: '/api/processes', headers: { authorization } });
        expect(res.statusCode).toBe(401);
      }),
      { numRuns: 30 },
    );
    const upload = await send('admin', { method: 'POST', url: '/api/households/import', payload: '{"file":"x"}', headers: { 'content-type': 'application/json' } });
    expectClientError(upload, 'import without multipart');
  });

  it('left the database and the workflows as they were (audit entries of the refusals aside)', async () => {
    expect(await snapshot()).toEqual(before);
  });
});

describe('hostile list querystrings', () => {
  const LISTS = ['/api/processes', '/api/steps', '/api/households', '/api/users', '/api/villages', '/api/audit', '/api/api-keys', '/api/dead-letters', '/api/processes/export.xlsx', '/api/households/export.xlsx'];

  /** A querystring and whether it is certainly malformed. */
  const query = fc.oneof(
    fc.record({ malformed: fc.constant(true), part: fc.constantFrom('filter={', 'filter=[1,2]', 'filter=null', 'filter="x"', 'filter=5', 'sort=["id"]', 'sort=["id","SIDEWAYS"]', 'sort=[1,"ASC"]', 'sort={}', 'range=[5,1]', 'range=[-1,5]', 'range=[0.5,2]', 'range=["a","b"]', 'range=[0]', 'range={', 'colour=red') }),
    fc.record({ malformed: fc.constant(true), part: fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', 'toString', 'colour', '$where', 'q;drop').map((k) => `filter=${encodeURIComponent(JSON.stringify({ [k]: 'x' }))}`) }),
    fc.record({ malformed: fc.constant(true), part: fc.constant(`filter=${encodeURIComponent('{"__proto__":{"polluted":true}}')}`) }),
    fc.record({ malformed: fc.constant(true), part: fc.constantFrom({ q: 'x'.repeat(500) }, { q: 5 }, { q: ['a'] }, { id: { $ne: null } }, { id: Array(1001).fill('a') }).map((f) => `filter=${encodeURIComponent(JSON.stringify(f))}`) }),
    // SQL and script fragments in free text are data: answered (200 or a 4xx), never a 5xx.
    fc.record({ malformed: fc.constant(false), part: fc.constantFrom(...SQL, ...SCRIPT).map((q) => `filter=${encodeURIComponent(JSON.stringify({ q }))}`) }),
    fc.record({ malformed: fc.constant(false), part: fc.constantFrom('range=[0,99999999]', 'range=[99999999,99999999]', 'sort=["id","desc"]') }),
  );

  it('every list answers a 4xx for a malformed query and never a 5xx', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...LISTS), query, async (list, q) => {
        const res = await send('admin', { method: 'GET', url: `${list}?${q.part}` });
        if (q.malformed) expectClientError(res, `${list}?${decodeURIComponent(q.part)}`);
        else if (res.statusCode >= 500) throw new Error(`${list}?${q.part}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      }),
      { numRuns: 120 },
    );
    const dated = ['2026-02-30', '2026-13-01', 'yesterday', '2026-1-1'];
    for (const d of dated) {
      expectClientError(await send('admin', { method: 'GET', url: `/api/audit?filter=${encodeURIComponent(JSON.stringify({ from: d }))}` }), `audit from ${d}`);
      expectClientError(await send('admin', { method: 'GET', url: `/api/steps?filter=${encodeURIComponent(JSON.stringify({ dueBefore: d }))}` }), `steps dueBefore ${d}`);
      expectClientError(await send('admin', { method: 'GET', url: `/api/calendar/add?from=${encodeURIComponent(d)}&days=1` }), `calendar from ${d}`);
    }
    expect(await snapshot()).toEqual(before);
  });
});

// ---------------------------------------------------------------- limits and headers

describe('transport limits and security headers', () => {
  it('refuses bodies over 1 MiB (413) and uploads over 10 MiB (413)', async () => {
    const big = await send('admin', { method: 'POST', url: '/api/processes', payload: { type: 'identification', input: { description: 'x'.repeat(1_100_000) } } });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('payload_too_large');
    const boundary = '----fangfan' + Math.random().toString(16).slice(2);
    const file = Buffer.alloc(10.5 * 1024 * 1024, 'a');
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const upload = await send('admin', { method: 'POST', url: '/api/households/import', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(upload.statusCode).toBe(413);
    expect(upload.json().error.message).toBeTruthy();
  });

  it('sends security headers on every answer', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeTruthy();
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
    const docs = await t.app.inject({ method: 'GET', url: '/documentation/' });
    expect(docs.statusCode).toBe(200);
    expect(String(docs.headers['content-security-policy'])).toContain('script-src');
  });

  it('the admin console still loads under its Content-Security-Policy (npm test builds it first)', async () => {
    expect(existsSync(`${ADMIN_DIST}/index.html`)).toBe(true);
    const page = await t.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const csp = String(page.headers['content-security-policy']);
    const html = page.body;
    expect(html).toBe(readFileSync(`${ADMIN_DIST}/index.html`, 'utf8'));
    // No inline script (script-src has no 'unsafe-inline'); every script and stylesheet is same-origin and served.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, inline] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/[^/]/);
      expect(inline.trim()).toBe('');
    }
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/style-src 'self' 'unsafe-inline'/); // the inline <style> of index.html and MUI's
    expect(csp).toMatch(/connect-src 'self'/);
    const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]);
    for (const asset of assets) {
      const res = await t.app.inject({ method: 'GET', url: asset });
      expect(res.statusCode, asset).toBe(200);
      if (asset.endsWith('.js')) expect(res.headers['content-type'], asset).toMatch(/javascript/);
    }
    // A client-side route of the console is the same page.
    expect((await t.app.inject({ method: 'GET', url: '/processes/identification:H1:1/show' })).body).toBe(html);
  });
});

// ---------------------------------------------------------------- findings of a hostile test run

/** A 400 whose details name `field` (or a field below it, `filter.id[0]` for `filter.id`). */
function expectFieldRefused(res: { statusCode: number; body: string }, field: string, what: string) {
  expectClientError(res, what);
  expect(res.statusCode, what).toBe(400);
  const fields = (JSON.parse(res.body).error.details as { field?: string }[]).map((d) => d.field ?? '');
  expect(fields.some((f) => f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`)), `${what}: fields ${JSON.stringify(fields)}`).toBe(true);
}

describe('findings of a hostile test run', () => {
  const LISTS = ['/api/processes', '/api/steps', '/api/households', '/api/users', '/api/villages', '/api/audit', '/api/api-keys', '/api/dead-letters'];

  it('NUL characters in any value a client sends are a 400 naming the field, and change nothing', async () => {
    const before = await snapshot();
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'x\u0000', password: 'y' } });
    expectFieldRefused(login, 'username', 'login with NUL in the username');
    for (const list of LISTS) {
      expectFieldRefused(await send('admin', { method: 'GET', url: `${list}?filter=${encodeURIComponent('{"id":["a\\u0000"]}')}` }), 'filter.id', `${list} filter.id with NUL`);
    }
    expectFieldRefused(await send('admin', { method: 'POST', url: '/api/villages', payload: { town: '统景镇', name: '新村\u0000' } }), 'name', 'village name with NUL');
    expectFieldRefused(await send('admin', { method: 'POST', url: '/api/api-keys', payload: { name: '系统\u0000', scopes: ['alert'] } }), 'name', 'API key name with NUL');
    expectFieldRefused(await send('admin', { method: 'PUT', url: '/api/users/cadre.jixing', payload: { name: '刘\u0000建国' } }), 'name', 'user name with NUL');
    expect(await snapshot()).toEqual(before);
  });

  it('a range beyond whole numbers a database can page by is a 400 naming range', async () => {
    for (const list of LISTS) {
      for (const range of ['[1e20,1e20]', '[0,1e21]', '[1e21,1e21]']) {
        const res = await send('admin', { method: 'GET', url: `${list}?range=${encodeURIComponent(range)}` });
        expectFieldRefused(res, 'range', `${list}?range=${range}`);
      }
    }
  });

  it('a group that is a name every object has (toString, __proto__) is a 400 naming groupBy', async () => {
    for (const groupBy of ['toString', '__proto__', 'constructor']) {
      for (const summary of ['/api/steps/overdue/summary', '/api/steps/summary']) {
        expectFieldRefused(await send('admin', { method: 'GET', url: `${summary}?groupBy=${groupBy}` }), 'groupBy', `${summary}?groupBy=${groupBy}`);
      }
    }
  });

  it('an upload declared multipart without a boundary is a 400 naming the content type (household import and evidence files)', async () => {
    for (const url of ['/api/households/import', '/api/files']) {
      for (const contentType of ['multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary=""']) {
        const res = await send('admin', { method: 'POST', url, payload: 'x', headers: { 'content-type': contentType } });
        expectFieldRefused(res, 'Content-Type', `${url} with ${contentType}`);
      }
      // A boundary the body never uses, or a body that ends inside a part: no file, a 4xx.
      for (const payload of ['x', '--abc\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nhead']) {
        const res = await send('admin', { method: 'POST', url, payload, headers: { 'content-type': 'multipart/form-data; boundary=abc' } });
        expectClientError(res, `${url} of ${JSON.stringify(payload)}`);
      }
      expectClientError(await send('admin', { method: 'POST', url, payload: '{"file":"x"}', headers: { 'content-type': 'application/json' } }), `${url} without multipart`);
    }
  });

  it('an Idempotency-Key reused with a body nested 20,000 levels deep is a 400 naming the field', async () => {
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const headers = { 'content-type': 'application/json', 'idempotency-key': 'deep-body-1' };
    // The key's first use is answered (the household has an open case) and that answer is stored.
    const first = await send('admin', { method: 'POST', url: '/api/processes', headers, payload: { type: 'identification', input: { householdId, channel: 'cadre_check', category: 'marginal', riskTypes: ['other'], description: '重复' } } });
    expectClientError(first, 'the key\'s first use');
    const res = await send('admin', { method: 'POST', url: '/api/processes', payload: `{"type":"identification","input":${deep}}`, headers });
    expectFieldRefused(res, 'input', 'deep input under a used key');
  });
  it('Excel exports write formula-looking text and control characters as plain text', async () => {
    const hostile = ["=cmd|' /C calc'!A0", '-张三', '+1+1', '@SUM(A1)', '\t=1', 'a\u0001b'];
    for (const username of hostile) expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'y' } })).statusCode).toBe(401);
    const res = await send('admin', { method: 'GET', url: '/api/audit/export.xlsx' });
    expect(res.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Uint8Array.from(res.rawPayload).buffer);
    const texts: string[] = [];
    workbook.worksheets[0].eachRow((row) => row.eachCell((cell) => {
      if (typeof cell.value === 'string') texts.push(cell.value);
    }));
    // eslint-disable-next-line no-control-regex
    expect(texts.filter((v) => /^[=+\-@\t\r]/.test(v) || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v))).toEqual([]);
    expect(texts.some((v) => v.includes("'=cmd|' /C calc'!A0"))).toBe(true);
    expect(texts.some((v) => v.includes("'-张三"))).toBe(true);
  });

  it('a failed SQL statement is logged without its values', async () => {
    const failed = await t.db.em().getConnection()
      .execute('select * from api_key where prefix = ? and hash = ? and no_such_column = ?', ['ffk_secretprefix', 'secret-hash-value', 4711])
      .then(() => undefined, (err: unknown) => err);
    expect(failed).toBeInstanceOf(Error);
    const logged = JSON.stringify(loggerOptions().serializers.err(failed));
    expect(logged).toContain('api_key');
    expect(logged).not.toContain('ffk_secretprefix');
    expect(logged).not.toContain('secret-hash-value');
    expect(logged).not.toContain('4711');
  });

  it('JSON answers carry Cache-Control: no-store', async () => {
    for (const url of ['/api/processes', `/api/households/${householdId}`, '/api/auth/me', '/api/users']) {
      const res = await send('admin', { method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-store');
    }
    const refused = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'y' } });
    expect(refused.headers['cache-control']).toBe('no-store');
  });

  it('/metrics answers loopback peers only, unless a token or METRICS=open says otherwise', async () => {
    const closed = Fastify({ logger: false });
    await closed.register(metricsPlugin, { token: '' });
    expect((await closed.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    expect((await closed.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7' })).statusCode).toBe(403);
    // A reverse proxy on the same host forwards other peers' requests: not loopback either.
    expect((await closed.inject({ method: 'GET', url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.7' } })).statusCode).toBe(403);
    await closed.close();
    const open = Fastify({ logger: false });
    await open.register(metricsPlugin, { token: '', open: true });
    expect((await open.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7' })).statusCode).toBe(200);
    await open.close();
  });

  it('the standalone server exposes Content-Range to the browsers CORS_ORIGIN allows', async () => {
    const saved = { CORS_ORIGIN: process.env.CORS_ORIGIN, METRICS: process.env.METRICS };
    // As an operator writes a list: with a space after the comma.
    process.env.CORS_ORIGIN = 'https://other.example, https://console.example';
    process.env.METRICS = 'false';
    const server = await buildServer(t.services, { logger: false });
    try {
      const headers = { origin: 'https://console.example', authorization: `Bearer ${await t.login('admin')}` };
      const res = await server.inject({ method: 'GET', url: '/api/households', headers });
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('https://console.example');
      expect(String(res.headers['access-control-expose-headers'])).toContain('Content-Range');
    } finally {
      await server.close();
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  });
});

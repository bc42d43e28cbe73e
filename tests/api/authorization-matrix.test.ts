/**
 * The authorization matrix, generated: every API endpoint the app registers (read from the app's own
 * route registry, so a new endpoint without an entry here fails) × every caller (each demo account,
 * an API key with one scope each, anonymous) × every scope the endpoint reaches (a case or household
 * of the caller's own village, another village of the same town, another town, and a case the
 * caller's department raised) → the expected status, and for lists the expected rows and totals.
 *
 * The expectations are written here from the policy and the client's HTTP contract, independently of
 * contracts/authz.ts; the table there must name every endpoint too. A probe that is allowed is built
 * so that it changes nothing (it stops at a later check: a conflict, an invalid form), so the whole
 * matrix runs against the same three cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { InjectOptions } from 'fastify';
import { Process, Step } from '../../db';
import { ENDPOINTS } from '../../contracts/authz';
import type { Role } from '../../contracts/roles';
import { DEMO_USERS } from '../../server/demo-data';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/app';
import { JIXING, RONGGUANG, YINHE, createKey, eventually, json, newHousehold } from '../helpers/integrations';

const policyFile = fileURLToPath(new URL('../fixtures/policy-short.yaml', import.meta.url));
let t: TestApp;

// ---------------------------------------------------------------- callers

interface Caller {
  name: string;
  kind: 'user' | 'integration' | 'anonymous';
  roles: Role[];
  town?: string;
  village?: string;
  department?: string;
  scope?: string; // the API key's one scope
  token?: string;
}

const KEY_SCOPES = ['alert', 'start:identification', 'signal:identification.objection'];
const callers: Caller[] = [
  ...DEMO_USERS.map((u) => ({ name: u.username, kind: 'user' as const, roles: u.roles, town: u.town, village: u.village, department: u.department })),
  ...KEY_SCOPES.map((scope) => ({ name: `key[${scope}]`, kind: 'integration' as const, roles: [] as Role[], scope })),
  { name: 'anonymous', kind: 'anonymous', roles: [] },
];

// ---------------------------------------------------------------- scopes (targets)

interface Place {
  town: string;
  village: string;
}
interface Target {
  name: string;
  place: Place;
  householdId: string;
  idNumber: string;
  caseId: string;
  departments: string[];
}
/** A: 统景镇荣光村 (cadres' own village); C: 统景镇印盒村 (another village of the same town); B: 古路镇吉星村, raised by 区医保局. */
const targets: Record<'A' | 'B' | 'C', Target> = {} as never;

// ---------------------------------------------------------------- the policy, stated here

const has = (c: Caller, r: Role) => c.roles.includes(r);
const district = (c: Caller) => has(c, 'admin') || has(c, 'district_supervisor');
const area = (c: Caller, p: Place) =>
  district(c) || (has(c, 'town_officer') && c.town === p.town) || (has(c, 'village_cadre') && c.town === p.town && c.village === p.village);
/** 信息员: the households they report for (district level: all; town: their town; village: their village). */
const reports = (c: Caller, p: Place) => has(c, 'information_officer') && (!c.town || (c.town === p.town && (!c.village || c.village === p.village)));
/** A caller who is only an information officer: they log in, read the calendar and policy, read their area's register, and report. */
const informant = (c: Caller) => c.roles.length > 0 && c.roles.every((r) => r === 'information_officer');
const INFORMANT_ENDPOINTS = [
  'POST /api/auth/logout',
  'POST /api/auth/password',
  'GET /api/auth/me',
  'GET /api/process-types',
  'GET /api/calendar/add',
  'GET /api/calendar/:year',
  'GET /api/policy',
  'GET /api/households',
  'GET /api/households/:id',
  'GET /api/households/:id/members',
  'GET /api/households/:id/contact-cadre',
  'POST /api/processes',
];
const involved = (c: Caller, k: Target) => has(c, 'department_officer') && !!c.department && k.departments.includes(c.department);
const seesCase = (c: Caller, k: Target) => area(c, k.place) || involved(c, k);
const writesRegister = (c: Caller) => has(c, 'village_cadre') || has(c, 'town_officer') || district(c);
const OBJECTION_ROLES: Role[] = ['village_cadre', 'town_officer', 'district_supervisor', 'admin'];
const USERS_SEEN: Record<string, Place & { department?: string }> = {
  'cadre.rongguang': RONGGUANG,
  'cadre.jixing': JIXING,
  yibao: { town: '', village: '', department: '区医保局' },
};
const seesUser = (c: Caller, id: string) => {
  const u = USERS_SEEN[id];
  if (district(c)) return true;
  if ((has(c, 'town_officer') || has(c, 'village_cadre')) && c.town && c.town === u.town) return true;
  return has(c, 'department_officer') && !!c.department && c.department === u.department;
};

// ---------------------------------------------------------------- probes

type Expect = number;
interface Probe {
  /** Which targets the endpoint is tried on (none: once, without one). */
  targets?: ('A' | 'B' | 'C')[];
  /** An entry of USERS_SEEN for /users/:id. */
  users?: string[];
  request(x: { target?: Target; user?: string }): InjectOptions;
  /** Expected status for a user. */
  user(c: Caller, x: { target?: Target; user?: string }): Expect;
  /** Expected status for an API key holding `scope` (default 403). */
  key?: Partial<Record<string, Expect>>;
  /** Public: anonymous callers get `user` too. */
  public?: boolean;
  /** Use a session of its own (the probe ends it). */
  freshSession?: boolean;
  /** For an allowed list: check the rows. */
  list?(c: Caller, rows: any[], contentRange: string | undefined): void;
}

const OK = 200;
const caseUrl = (k?: Target) => `/api/processes/${encodeURIComponent(k!.caseId)}`;
const startInput = (k: Target) => ({ householdId: k.householdId, channel: 'cadre_check', category: 'marginal', riskTypes: ['other'], description: '矩阵测试' });
const total = (range: string | undefined) => Number(range?.split('/')[1]);
const ids = (rows: any[], key = 'id') => rows.map((r) => r[key]).sort();
const visibleCases = (c: Caller) => Object.values(targets).filter((k) => seesCase(c, k));
const ALL = ['A', 'B', 'C'] as const;

const PROBES: Record<string, Probe> = {
  'GET /api/health': { request: () => ({ method: 'GET', url: '/api/health' }), user: () => OK, key: Object.fromEntries(KEY_SCOPES.map((s) => [s, OK])), public: true },
  'GET /api/ready': { request: () => ({ method: 'GET', url: '/api/ready' }), user: () => OK, key: Object.fromEntries(KEY_SCOPES.map((s) => [s, OK])), public: true },
  'GET /api/live': { request: () => ({ method: 'GET', url: '/api/live' }), user: () => OK, key: Object.fromEntries(KEY_SCOPES.map((s) => [s, OK])), public: true },
  'POST /api/auth/login': {
    request: () => ({ method: 'POST', url: '/api/auth/login', payload: { username: `nobody-${Math.random()}`, password: 'x' } }),
    user: () => 401,
    key: Object.fromEntries(KEY_SCOPES.map((s) => [s, 401])),
    public: true,
  },
  'POST /api/auth/logout': { request: () => ({ method: 'POST', url: '/api/auth/logout' }), user: () => 204, freshSession: true },
  // A change that stops at the schema (too short), so no account's password changes.
  'POST /api/auth/password': { request: () => ({ method: 'POST', url: '/api/auth/password', payload: { currentPassword: 'x', newPassword: 'short' } }), user: () => 400 },
  'GET /api/auth/me': { request: () => ({ method: 'GET', url: '/api/auth/me' }), user: () => OK, key: Object.fromEntries(KEY_SCOPES.map((s) => [s, OK])) },
  'GET /api/process-types': { request: () => ({ method: 'GET', url: '/api/process-types' }), user: () => OK, key: Object.fromEntries(KEY_SCOPES.map((s) => [s, OK])) },

  // Cases. An allowed start meets the open case of the household (409); a household the caller may
  // not see is answered as an unknown one (404): nothing tells which cases or households exist elsewhere.
  'POST /api/processes': {
    targets: [...ALL],
    request: ({ target }) => ({ method: 'POST', url: '/api/processes', payload: { type: 'identification', input: startInput(target!) } }),
    // An information officer reports through the information_officer channel only: 400 for this cadre_check start.
    user: (c, { target }) => (informant(c) ? (reports(c, target!.place) ? 400 : 404) : area(c, target!.place) || has(c, 'department_officer') ? 409 : 404),
    key: { 'start:identification': 409 },
  },
  'POST /api/alerts': {
    request: () => ({ method: 'POST', url: '/api/alerts', payload: { householdId: 'H00000001', department: '不存在的部门', description: '矩阵测试' } }),
    user: (c) => (has(c, 'department_officer') || district(c) ? 400 : 403),
    key: { alert: 400 },
  },
  'GET /api/processes': {
    request: () => ({ method: 'GET', url: `/api/processes?range=[0,99]` }),
    user: () => OK,
    list: (c, rows, range) => {
      expect(ids(rows)).toEqual(ids(visibleCases(c), 'caseId'));
      expect(total(range)).toBe(visibleCases(c).length);
    },
  },
  'GET /api/processes/export.xlsx': { request: () => ({ method: 'GET', url: '/api/processes/export.xlsx' }), user: () => OK },
  'GET /api/processes/:id': { targets: [...ALL], request: ({ target }) => ({ method: 'GET', url: caseUrl(target) }), user: (c, { target }) => (seesCase(c, target!) ? OK : 404) },
  'GET /api/processes/:id/history': { targets: [...ALL], request: ({ target }) => ({ method: 'GET', url: `${caseUrl(target)}/history` }), user: (c, { target }) => (seesCase(c, target!) ? OK : 404) },
  'GET /api/processes/:id/notice': { targets: [...ALL], request: ({ target }) => ({ method: 'GET', url: `${caseUrl(target)}/notice` }), user: (c, { target }) => (seesCase(c, target!) ? OK : 404) },
  'GET /api/processes/:id/documents': { targets: [...ALL], request: ({ target }) => ({ method: 'GET', url: `${caseUrl(target)}/documents` }), user: (c, { target }) => (seesCase(c, target!) ? OK : 404) },
  // The notice is not up yet (home verification): no such document for those who see the case, no such case for the others.
  'GET /api/processes/:id/documents/:kind': {
    targets: [...ALL],
    request: ({ target }) => ({ method: 'GET', url: `${caseUrl(target)}/documents/notice` }),
    user: () => 404,
  },
  // An objection outside the notice period: allowed callers get 409, the others 403; a case out of sight 404.
  'POST /api/processes/:id/signals/:signal': {
    targets: [...ALL],
    request: ({ target }) => ({ method: 'POST', url: `${caseUrl(target)}/signals/objection`, payload: { raisedBy: '矩阵', content: '测试' } }),
    user: (c, { target }) => (!seesCase(c, target!) ? 404 : c.roles.some((r) => OBJECTION_ROLES.includes(r)) ? 409 : 403),
    key: { 'signal:identification.objection': 409 },
  },
  // Home verification with an empty form: the village's cadres (and admins) get 400, the others 403; a case out of sight 404.
  'POST /api/processes/:id/steps/:stepKey': {
    targets: [...ALL],
    request: ({ target }) => ({ method: 'POST', url: `${caseUrl(target)}/steps/homeVerification`, payload: {} }),
    user: (c, { target }) =>
      !seesCase(c, target!) ? 404 : has(c, 'admin') || (has(c, 'village_cadre') && c.town === target!.place.town && c.village === target!.place.village) ? 400 : 403,
  },
  // A blank reason: supervisors and admins get 400, the others 403.
  'POST /api/processes/:id/cancel': {
    targets: [...ALL],
    request: ({ target }) => ({ method: 'POST', url: `${caseUrl(target)}/cancel`, payload: { reason: '   ' } }),
    user: (c) => (district(c) ? 400 : 403),
  },

  // Steps
  'GET /api/steps': {
    request: () => ({ method: 'GET', url: '/api/steps?range=[0,99]' }),
    user: () => OK,
    list: (c, rows, range) => {
      // Steps are seen by area, or by the department that owns them (P1's steps belong to none).
      const expected = Object.values(targets).filter((k) => area(c, k.place)).map((k) => k.caseId).sort();
      expect([...new Set(rows.map((r) => r.processId))].sort()).toEqual(expected);
      expect(total(range)).toBe(rows.length);
    },
  },
  'GET /api/steps/export.xlsx': { request: () => ({ method: 'GET', url: '/api/steps/export.xlsx' }), user: () => OK },
  'GET /api/steps/overdue/summary': { request: () => ({ method: 'GET', url: '/api/steps/overdue/summary' }), user: () => OK },
  'GET /api/steps/summary': { request: () => ({ method: 'GET', url: '/api/steps/summary' }), user: () => OK },

  // The register: read by area, and by every department officer (masked); written by area only.
  'GET /api/households': {
    request: () => ({ method: 'GET', url: `/api/households?filter=${json({ id: Object.values(targets).map((k) => k.householdId) })}` }),
    user: () => OK,
    list: (c, rows, range) => {
      const expected = Object.values(targets).filter((k) => area(c, k.place) || has(c, 'department_officer') || reports(c, k.place));
      expect(ids(rows)).toEqual(ids(expected, 'householdId'));
      expect(total(range)).toBe(expected.length);
    },
  },
  'GET /api/households/export.xlsx': { request: () => ({ method: 'GET', url: '/api/households/export.xlsx' }), user: () => OK },
  'GET /api/households/:id': {
    targets: [...ALL],
    request: ({ target }) => ({ method: 'GET', url: `/api/households/${target!.householdId}` }),
    user: (c, { target }) => (area(c, target!.place) || has(c, 'department_officer') || reports(c, target!.place) ? OK : 404),
  },
  // A household with an ID number already registered: allowed → 409, denied → 403.
  'POST /api/households': {
    targets: [...ALL],
    request: ({ target }) => ({ method: 'POST', url: '/api/households', payload: { headName: '重复户', idNumber: target!.idNumber, memberCount: 2, ...target!.place } }),
    user: (c, { target }) => (writesRegister(c) && area(c, target!.place) ? 409 : 403),
  },
  'PUT /api/households/:id': {
    targets: [...ALL],
    request: ({ target }) => ({ method: 'PUT', url: `/api/households/${target!.householdId}`, payload: { town: '不存在镇' } }),
    user: (c, { target }) => (!writesRegister(c) ? 403 : area(c, target!.place) ? 400 : 404),
  },
  // Members and contact cadres: read as the household; members written by area (a list without a head: 400);
  // the contact cadre named by town officers and the district (an unknown user: 400).
  'GET /api/households/:id/members': {
    targets: [...ALL],
    request: ({ target }) => ({ method: 'GET', url: `/api/households/${target!.householdId}/members` }),
    user: (c, { target }) => (area(c, target!.place) || has(c, 'department_officer') || reports(c, target!.place) ? OK : 404),
  },
  'PUT /api/households/:id/members': {
    targets: [...ALL],
    request: ({ target }) => ({ method: 'PUT', url: `/api/households/${target!.householdId}/members`, payload: { members: [{ name: '矩阵', idNumber: target!.idNumber, relation: 'spouse' }] } }),
    user: (c, { target }) => (!writesRegister(c) ? 403 : area(c, target!.place) ? 400 : 404),
  },
  'GET /api/households/:id/contact-cadre': {
    targets: [...ALL],
    request: ({ target }) => ({ method: 'GET', url: `/api/households/${target!.householdId}/contact-cadre` }),
    user: (c, { target }) => (area(c, target!.place) || has(c, 'department_officer') || reports(c, target!.place) ? OK : 404),
  },
  'PUT /api/households/:id/contact-cadre': {
    targets: [...ALL],
    request: ({ target }) => ({ method: 'PUT', url: `/api/households/${target!.householdId}/contact-cadre`, payload: { userId: 'nobody' } }),
    user: (c, { target }) => (!(has(c, 'town_officer') || district(c)) ? 403 : area(c, target!.place) ? 400 : 404),
  },
  'POST /api/households/import': { request: () => ({ method: 'POST', url: '/api/households/import', payload: {} }), user: (c) => (writesRegister(c) ? 415 : 403) },

  // Evidence files: every person may upload (a JSON body is no upload: 415); a file nobody showed the caller is 404 (tests/api/files.test.ts: who reads which).
  'POST /api/files': { request: () => ({ method: 'POST', url: '/api/files', payload: {} }), user: () => 415 },
  'GET /api/files/:id': { request: () => ({ method: 'GET', url: `/api/files/F${'0'.repeat(32)}` }), user: () => 404 },
  'GET /api/files/:id/thumbnail': { request: () => ({ method: 'GET', url: `/api/files/F${'0'.repeat(32)}/thumbnail` }), user: () => 404 },
  'GET /api/files/:id/link': { request: () => ({ method: 'GET', url: `/api/files/F${'0'.repeat(32)}/link` }), user: () => 404 },
  // Resumable uploads: every person may start one (an empty body: 400); an upload not theirs is 404.
  'POST /api/files/uploads': { request: () => ({ method: 'POST', url: '/api/files/uploads', payload: {} }), user: () => 400 },
  'GET /api/files/uploads/:id': { request: () => ({ method: 'GET', url: `/api/files/uploads/U${'0'.repeat(32)}` }), user: () => 404 },
  'PUT /api/files/uploads/:id': { request: () => ({ method: 'PUT', url: `/api/files/uploads/U${'0'.repeat(32)}`, payload: Buffer.from('x'), headers: { 'content-type': 'application/octet-stream', 'content-range': 'bytes 0-0/1' } }), user: () => 404 },
  // A signed link is its own authority: anyone with a forged or lapsed one gets 403.
  'GET /api/files/:id/signed': { request: () => ({ method: 'GET', url: `/api/files/F${'0'.repeat(32)}/signed?u=admin&exp=${Date.now() + 60_000}&sig=forged` }), user: () => 403, key: Object.fromEntries(KEY_SCOPES.map((s) => [s, 403])), public: true },

  // Calendar and directory
  'GET /api/calendar/add': { request: () => ({ method: 'GET', url: '/api/calendar/add?from=2026-01-05&workingDays=3' }), user: () => OK },
  'GET /api/calendar/:year': { request: () => ({ method: 'GET', url: '/api/calendar/2026' }), user: () => OK },
  // P5 progress: no campaign in the matrix's data, so every reader gets 404.
  'GET /api/campaigns/:year/progress': { request: () => ({ method: 'GET', url: '/api/campaigns/2026/progress' }), user: () => 404 },
  // Statistics: every person reads the figures of what they may see (tests/api/stats.test.ts checks the scope).
  'GET /api/stats/monitoring': { request: () => ({ method: 'GET', url: '/api/stats/monitoring?groupBy=town' }), user: () => OK },
  'GET /api/stats/information-officers': { request: () => ({ method: 'GET', url: '/api/stats/information-officers' }), user: () => OK },
  'GET /api/reports/monthly.xlsx': { request: () => ({ method: 'GET', url: '/api/reports/monthly.xlsx?month=2026-11' }), user: () => OK },
  'GET /api/reports/monthly.html': { request: () => ({ method: 'GET', url: '/api/reports/monthly.html?month=2026-11' }), user: () => OK },
  // Supervision: 约谈/问责 records written by district supervisors and admins only (an empty record: 400); read also by
  // town and department officers, those concerning them (tests/api/supervision-records.test.ts, rectification.test.ts).
  'GET /api/accountability': { request: () => ({ method: 'GET', url: '/api/accountability' }), user: (c) => (district(c) || has(c, 'town_officer') || has(c, 'department_officer') ? OK : 403) },
  'POST /api/accountability': { request: () => ({ method: 'POST', url: '/api/accountability', payload: {} }), user: (c) => (district(c) ? 400 : 403) },
  // Scores: a town officer and a department officer read their own row (tests/api/supervision-records.test.ts).
  'GET /api/stats/scores': { request: () => ({ method: 'GET', url: '/api/stats/scores' }), user: (c) => (district(c) || has(c, 'town_officer') || has(c, 'department_officer') ? OK : 403) },
  // Secretaries' 遍访: supervisors every secretary, a town officer their town's (tests/api/secretary-visits.test.ts).
  'GET /api/stats/secretary-visits': { request: () => ({ method: 'GET', url: '/api/stats/secretary-visits' }), user: (c) => (district(c) || has(c, 'town_officer') ? OK : 403) },
  'POST /api/calendar/reload': { request: () => ({ method: 'POST', url: '/api/calendar/reload' }), user: (c) => (has(c, 'admin') ? OK : 403) },
  // An empty schedule: allowed → 400 (at least one day off), denied → 403.
  'PUT /api/calendar/:year': { request: () => ({ method: 'PUT', url: '/api/calendar/2040', payload: { holidays: [], workdays: [] } }), user: (c) => (has(c, 'admin') ? 400 : 403) },
  // Policy: read by everyone; versions by supervisors and admins; drafts by admins (an empty one: 400); unknown versions: 404.
  'GET /api/policy': { request: () => ({ method: 'GET', url: '/api/policy' }), user: () => OK },
  'GET /api/policy/versions': { request: () => ({ method: 'GET', url: '/api/policy/versions' }), user: (c) => (district(c) ? OK : 403), list: (_c, rows) => expect(rows.map((r) => r.version)).toEqual([1]) },
  'POST /api/policy/versions': { request: () => ({ method: 'POST', url: '/api/policy/versions', payload: { values: {}, effectiveFrom: '2099-01-01' } }), user: (c) => (has(c, 'admin') ? 400 : 403) },
  'GET /api/policy/versions/:id': { request: () => ({ method: 'GET', url: '/api/policy/versions/ffffffffffff' }), user: (c) => (district(c) ? 404 : 403) },
  'POST /api/policy/versions/:id/activate': { request: () => ({ method: 'POST', url: '/api/policy/versions/ffffffffffff/activate' }), user: (c) => (district(c) ? 404 : 403) },
  'GET /api/process-definitions': { request: () => ({ method: 'GET', url: '/api/process-definitions' }), user: (c) => (has(c, 'admin') ? OK : 403) },
  'GET /api/process-definitions/:id': { request: () => ({ method: 'GET', url: '/api/process-definitions/ffffffffffff' }), user: (c) => (has(c, 'admin') ? 404 : 403) },
  'POST /api/process-definitions': { request: () => ({ method: 'POST', url: '/api/process-definitions', payload: {} }), user: (c) => (has(c, 'admin') ? 400 : 403) },
  'POST /api/process-definitions/:id/publish': { request: () => ({ method: 'POST', url: '/api/process-definitions/ffffffffffff/publish' }), user: (c) => (has(c, 'admin') ? 404 : 403) },
  'GET /api/villages': { request: () => ({ method: 'GET', url: '/api/villages' }), user: () => OK },
  'POST /api/villages': { request: () => ({ method: 'POST', url: '/api/villages', payload: { town: '', name: '新村' } }), user: (c) => (has(c, 'admin') ? 400 : 403) },
  'GET /api/users': {
    request: () => ({ method: 'GET', url: `/api/users?filter=${json({ id: Object.keys(USERS_SEEN) })}` }),
    user: () => OK,
    list: (c, rows, range) => {
      const expected = Object.keys(USERS_SEEN).filter((id) => seesUser(c, id)).sort();
      expect(ids(rows)).toEqual(expected);
      expect(total(range)).toBe(expected.length);
    },
  },
  'GET /api/users/:id': { users: Object.keys(USERS_SEEN), request: ({ user }) => ({ method: 'GET', url: `/api/users/${user}` }), user: (c, { user }) => (seesUser(c, user!) ? OK : 404) },
  'POST /api/users/:id/unlock': { request: () => ({ method: 'POST', url: '/api/users/cadre.jixing/unlock' }), user: (c) => (has(c, 'admin') ? OK : 403) },
  'PUT /api/users/:id': { request: () => ({ method: 'PUT', url: '/api/users/cadre.jixing', payload: { roles: ['sheriff'] } }), user: (c) => (has(c, 'admin') ? 400 : 403) },
  'POST /api/users': { request: () => ({ method: 'POST', url: '/api/users', payload: { username: 'X', name: '新用户', roles: ['village_cadre'], password: 'short' } }), user: (c) => (has(c, 'admin') ? 400 : 403) },
  'POST /api/users/:id/password': { request: () => ({ method: 'POST', url: '/api/users/cadre.jixing/password', payload: { password: 'short' } }), user: (c) => (has(c, 'admin') ? 400 : 403) },

  // Administration
  'GET /api/api-keys': { request: () => ({ method: 'GET', url: '/api/api-keys' }), user: (c) => (has(c, 'admin') ? OK : 403), list: (_c, rows) => expect(rows.length).toBe(KEY_SCOPES.length) },
  'GET /api/api-keys/:id': { request: () => ({ method: 'GET', url: `/api/api-keys/${keyIds[0]}` }), user: (c) => (has(c, 'admin') ? OK : 403) },
  'POST /api/api-keys': { request: () => ({ method: 'POST', url: '/api/api-keys', payload: { name: 'x', scopes: ['everything'] } }), user: (c) => (has(c, 'admin') ? 400 : 403) },
  'DELETE /api/api-keys/:id': { request: () => ({ method: 'DELETE', url: '/api/api-keys/ffffffffffff' }), user: (c) => (has(c, 'admin') ? 404 : 403) },
  'POST /api/api-keys/:id/revoke': { request: () => ({ method: 'POST', url: '/api/api-keys/ffffffffffff/revoke' }), user: (c) => (has(c, 'admin') ? 404 : 403) },
  'GET /api/dead-letters': { request: () => ({ method: 'GET', url: '/api/dead-letters' }), user: (c) => (has(c, 'admin') ? OK : 403) },
  'GET /api/dead-letters/:id': { request: () => ({ method: 'GET', url: '/api/dead-letters/00000000-0000-0000-0000-000000000000' }), user: (c) => (has(c, 'admin') ? 404 : 403) },
  'POST /api/dead-letters/:id/replay': { request: () => ({ method: 'POST', url: '/api/dead-letters/00000000-0000-0000-0000-000000000000/replay' }), user: (c) => (has(c, 'admin') ? 404 : 403) },
  'GET /api/audit': { request: () => ({ method: 'GET', url: '/api/audit' }), user: (c) => (district(c) ? OK : 403) },
  'GET /api/audit/export.xlsx': { request: () => ({ method: 'GET', url: '/api/audit/export.xlsx' }), user: (c) => (district(c) ? OK : 403) },
  'GET /api/audit/:id': { request: () => ({ method: 'GET', url: '/api/audit/1' }), user: (c) => (district(c) ? OK : 403) },

  // Integrations (an endpoint scope each). An empty body: allowed → 400.
  'POST /api/integrations/medical-settlements': { request: () => ({ method: 'POST', url: '/api/integrations/medical-settlements', payload: {} }), user: () => 403 },

  // Department data exchange: departments send their own (an empty body: allowed → 400) and read their own
  // batches; the district's supervision reads every one. No batch exists here: one by id is 404.
  'POST /api/data-exchange/batches': { request: () => ({ method: 'POST', url: '/api/data-exchange/batches', payload: {} }), user: (c) => (has(c, 'department_officer') || has(c, 'admin') ? 400 : 403) },
  'GET /api/data-exchange/batches': { request: () => ({ method: 'GET', url: '/api/data-exchange/batches' }), user: (c) => (has(c, 'department_officer') || district(c) ? OK : 403) },
  'GET /api/data-exchange/batches/:id': { request: () => ({ method: 'GET', url: '/api/data-exchange/batches/DX-20261207-00000000' }), user: (c) => (has(c, 'department_officer') || district(c) ? 404 : 403) },
  'GET /api/data-exchange/batches/:id/records': { request: () => ({ method: 'GET', url: '/api/data-exchange/batches/DX-20261207-00000000/records' }), user: (c) => (has(c, 'department_officer') || district(c) ? 404 : 403) },
  'GET /api/data-exchange/batches/:id/feedback.xlsx': { request: () => ({ method: 'GET', url: '/api/data-exchange/batches/DX-20261207-00000000/feedback.xlsx' }), user: (c) => (has(c, 'department_officer') || district(c) ? 404 : 403) },
  'GET /api/data-exchange/rules': { request: () => ({ method: 'GET', url: '/api/data-exchange/rules' }), user: (c) => (has(c, 'department_officer') || district(c) ? OK : 403) },
};

const keyIds: string[] = [];

// ---------------------------------------------------------------- setup

beforeAll(async () => {
  t = await startTestApp({ policyFile, limits: { loginPerIp: 10_000, loginPerUser: 1000, perKey: 100_000 } });
  const a = await newHousehold(t, RONGGUANG);
  const b = await newHousehold(t, JIXING);
  const c = await newHousehold(t, YINHE);
  const start = async (as: string, hh: string) => {
    const res = await t.call(as, { method: 'POST', url: '/api/processes', payload: { type: 'identification', input: { householdId: hh, channel: 'cadre_check', category: 'marginal', riskTypes: ['other'], description: '矩阵测试' } } });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  const alert = await t.call('yibao', { method: 'POST', url: '/api/alerts', payload: { householdId: b.id, department: '区医保局', description: '矩阵测试预警' } });
  expect(alert.statusCode).toBe(201);
  targets.A = { name: 'A 统景镇荣光村', place: RONGGUANG, householdId: a.id, idNumber: a.idNumber, caseId: await start('cadre.rongguang', a.id), departments: [] };
  targets.B = { name: 'B 古路镇吉星村 (区医保局)', place: JIXING, householdId: b.id, idNumber: b.idNumber, caseId: alert.json().processId, departments: ['区医保局'] };
  targets.C = { name: 'C 统景镇印盒村', place: YINHE, householdId: c.id, idNumber: c.idNumber, caseId: await start('town.tongjing', c.id), departments: [] };
  await eventually(() => t.db.em().count(Process, {}), (n) => n === 3);
  await eventually(() => t.db.em().count(Step, {}), (n) => n === 3);
  expect((await t.db.em().findOneOrFail(Process, { id: targets.B.caseId })).departments).toEqual(['区医保局']);
  for (const scope of KEY_SCOPES) {
    const key = await createKey(t, [scope]);
    keyIds.push(key.id);
    callers.find((c) => c.scope === scope)!.token = key.key;
  }
  for (const c of callers) if (c.kind === 'user') c.token = await t.login(c.name);
});
afterAll(async () => t?.close());

// ---------------------------------------------------------------- the matrix

function apiRoutes(): string[] {
  return [...new Set(t.routes.filter((r) => r.url.startsWith('/api/')).map((r) => `${r.method} ${r.url}`))].sort();
}

describe('the authorization matrix', () => {
  it('covers every endpoint the app registers, and contracts/authz.ts names each of them', () => {
    const routes = apiRoutes();
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => !(r in PROBES)), 'endpoints without a probe in this test').toEqual([]);
    expect(Object.keys(PROBES).filter((p) => !routes.includes(p)), 'probes of endpoints that do not exist').toEqual([]);
    expect(routes.filter((r) => !(r in ENDPOINTS)), 'endpoints missing from contracts/authz.ts ENDPOINTS').toEqual([]);
    expect(Object.keys(ENDPOINTS).filter((e) => !routes.includes(e)), 'ENDPOINTS entries without a route').toEqual([]);
  });

  // One test per endpoint: every caller × every target.
  for (const [endpoint, probe] of Object.entries(PROBES)) {
    it(endpoint, async () => {
      if (!apiRoutes().includes(endpoint)) return; // reported by the coverage test above
      const xs: { target?: Target; user?: string }[] = probe.targets
        ? probe.targets.map((n) => ({ target: targets[n] }))
        : probe.users
          ? probe.users.map((user) => ({ user }))
          : [{}];
      const failures: string[] = [];
      let listsChecked = 0;
      for (const c of callers) {
        for (const x of xs) {
          const expected =
            c.kind === 'anonymous'
              ? probe.public
                ? probe.user(c, x)
                : 401
              : c.kind === 'integration'
                ? (probe.key?.[c.scope!] ?? 403)
                : informant(c) && !probe.public && !INFORMANT_ENDPOINTS.includes(endpoint)
                  ? 403
                  : probe.user(c, x);
          const opts = probe.request(x);
          let token = c.token;
          if (probe.freshSession && c.kind === 'user') {
            token = (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: c.name, password: DEMO_PASSWORD } })).json().token;
          }
          const res = await t.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) } });
          const where = `${c.name} → ${x.target?.name ?? x.user ?? '-'}`;
          if (res.statusCode !== expected) {
            failures.push(`${where}: expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 160)}`);
            continue;
          }
          if (expected >= 400) {
            const body = res.json();
            if (!body.error?.code || !body.error?.message) failures.push(`${where}: ${expected} without the error shape: ${res.body.slice(0, 120)}`);
          } else if (probe.list) {
            try {
              probe.list(c, res.json(), res.headers['content-range'] as string | undefined);
              listsChecked++;
            } catch (err) {
              failures.push(`${where}: list: ${(err as Error).message.split('\n')[0]}`);
            }
          }
        }
      }
      expect(failures).toEqual([]);
      if (probe.list) expect(listsChecked).toBeGreaterThan(0);
    });
  }

  it('left the three cases as they were (every allowed probe stopped before changing anything)', async () => {
    for (const k of Object.values(targets)) {
      const d = (await t.call('admin', { method: 'GET', url: caseUrl(k) })).json();
      expect(d.status).toBe('running');
      expect(d.stage).toBe('homeVerification');
      expect(d.state.steps.filter((s: any) => s.status === 'done')).toEqual([]);
    }
    expect(await t.db.em().count(Process, {})).toBe(3);
  });
});

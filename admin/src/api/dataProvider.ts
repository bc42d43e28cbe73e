/**
 * The stock ra-data-simple-rest provider for lists and records (the API speaks its dialect), plus the
 * custom methods for everything that is not CRUD: the catalogue, starting a case, completing a step,
 * signals, cancellation, history, the overdue summary, Excel exports and the household import.
 * Components call the custom methods through `useMutation` / `useQuery` (see STYLE.md).
 */
import simpleRestProvider from 'ra-data-simple-rest';
import type { DataProvider, SortPayload, UpdateParams } from 'react-admin';
import { createHttpClient, type ApiConnection } from './http';
import { postForm, uploadResumable, type ResumableOptions } from './upload';
import type { ApiKeyRecord, CalendarYear, CampaignProgress, CalendarYearEntered, DeadLetterRecord, DocumentOffer, HistoryEntry, ImportReport, InformationOfficerStaffing, MonitoringStatsRow, OverdueGroupBy, OverdueSummary, PolicyVersionRecord, ProcessTypeInfo, StatsGroupBy, StepSummary, SupervisionScores, UploadedFile, UserRecord } from './types';
import type { SecretaryVisits } from '../../../contracts/secretary-visits';
import type { ExchangeRecord } from '../dataExchange/types';
import type { CaseState } from '../../../contracts/steps';

/** Fields of a household a client may write (monitoring fields are the workflows'). */
export const HOUSEHOLD_WRITABLE = ['headName', 'idNumber', 'phone', 'town', 'village', 'memberCount', 'status', 'lowIncomeGroups'] as const;

/** Fields of a user an administrator may change (`PUT /api/users/:id` refuses any other). */
export const USER_WRITABLE = ['name', 'roles', 'town', 'village', 'department', 'active'] as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The changed writable fields only (the API refuses unknown fields, and a masked ID number is no value). */
export function householdChanges(data: Record<string, unknown>, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of HOUSEHOLD_WRITABLE) {
    if (!(k in data) || same(data[k], previous[k])) continue;
    if (k === 'idNumber' && typeof data[k] === 'string' && (data[k] as string).includes('*')) continue;
    out[k] = k === 'phone' && data[k] === '' ? null : data[k];
  }
  return out;
}

/** The changed writable fields of a user; an emptied town, village or department is sent as null (cleared). */
export function userChanges(data: Record<string, unknown>, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of USER_WRITABLE) {
    if (!(k in data)) continue;
    let v = data[k];
    if ((k === 'town' || k === 'village' || k === 'department') && (v === '' || v === undefined)) v = null;
    if (same(v, previous[k])) continue;
    out[k] = v;
  }
  return out;
}

/** The API's checks of a user's place and roles (server/routes/users.ts), as message keys for the form. */
const USER_ERROR_KEYS: Record<string, string> = {
  'village.required': 'fangfan.users.error_village_required',
  'town.required': 'fangfan.users.error_town_required',
  'department.required': 'fangfan.users.error_department_required',
  'town.exists': 'fangfan.users.error_town_exists',
  'village.exists': 'fangfan.users.error_village_exists',
  'name.minLength': 'fangfan.validation.required',
};

/** A refused user change with its field errors as message keys (react-admin translates them on the fields). */
export function localizeUserErrors(err: unknown): unknown {
  const e = err as { body?: { error?: { details?: { field?: string; rule: string }[] }; errors?: Record<string, unknown> } };
  const details = e?.body?.error?.details;
  if (!details?.length || !e.body?.errors) return err;
  for (const d of details) {
    const key = d.field && USER_ERROR_KEYS[`${d.field}.${d.rule}`];
    if (key) e.body.errors[d.field!] = key;
  }
  // Every problem is on its field: the notification only says so (in the console's language).
  if (details.every((d) => d.field && USER_ERROR_KEYS[`${d.field}.${d.rule}`])) e.body.errors.root = { serverError: 'fangfan.form.fix_fields' };
  return err;
}

/** The API's checks of a new village (server/routes/directory.ts), as message keys for the form. */
const VILLAGE_ERROR_KEYS: Record<string, string> = {
  required: 'fangfan.validation.required',
  minLength: 'fangfan.validation.required',
  maxLength: 'fangfan.villages.error_too_long',
  pattern: 'fangfan.villages.error_spaces',
};

/**
 * A refused village registration: a 409 (the town already has that village) goes on the name field,
 * the body's field errors become message keys; the API's own message stays the form's.
 */
export function localizeVillageErrors(err: unknown): unknown {
  const e = err as { status?: number; body?: { error?: { details?: { field?: string; rule: string }[] }; errors?: Record<string, unknown> } };
  if (!e?.body?.errors) return err;
  if (e.status === 409) {
    e.body.errors.name = 'fangfan.villages.error_exists';
    return err;
  }
  for (const d of e.body.error?.details ?? []) {
    const key = VILLAGE_ERROR_KEYS[d.rule];
    if (key && (d.field === 'town' || d.field === 'name')) e.body.errors[d.field] = key;
  }
  return err;
}

/** A fresh key per submission, so a retried request takes effect once (`Idempotency-Key`). */
export function idempotencyKey(): string {
  const c = globalThis.crypto;
  if (c?.randomUUID) return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const json = (body: unknown) => JSON.stringify(body);

export interface ListQueryParams {
  filter?: Record<string, unknown>;
  sort?: SortPayload;
}

export interface AppDataProvider extends DataProvider {
  getProcessTypes(lang: string): Promise<ProcessTypeInfo[]>;
  startProcess(params: { type: string; input: Record<string, unknown> }): Promise<{ id: string; runId: string; type: string }>;
  completeStep(params: { processId: string; stepKey: string; stepId?: string; form: Record<string, unknown> }): Promise<{ state: CaseState }>;
  sendSignal(params: { processId: string; signal: string; payload: Record<string, unknown> }): Promise<{ accepted: boolean }>;
  cancelProcess(params: { processId: string; reason: string }): Promise<{ state: CaseState }>;
  getHistory(processId: string): Promise<HistoryEntry[]>;
  /** The documents the case offers to print now. */
  getDocuments(processId: string): Promise<DocumentOffer[]>;
  /** One of them as its printable page (HTML), fetched with the token. */
  getDocumentHtml(processId: string, document: Pick<DocumentOffer, 'kind' | 'village'>): Promise<string>;
  getOverdueSummary(groupBy: OverdueGroupBy): Promise<OverdueSummary>;
  getStepSummary(groupBy: OverdueGroupBy): Promise<StepSummary>;
  getMonitoringStats(params: { groupBy: StatsGroupBy; from: string; to: string }): Promise<MonitoringStatsRow[]>;
  /** The year's scores per town and department, with the formula (supervisors). */
  getSupervisionScores(year: number): Promise<SupervisionScores>;
  /** The secretaries' 遍访 coverage by person for a year (supervisors; a town officer their town's). */
  getSecretaryVisits(year: number): Promise<SecretaryVisits>;
  /** The monthly report's summary by town as a printable page (HTML). */
  getMonthlySummaryHtml(month: string): Promise<string>;
  /** The working day `workingDays` after `from` (the official calendar). */
  addWorkingDays(from: string, workingDays: number): Promise<string>;
  getCalendarYear(year: number): Promise<CalendarYear>;
  /** The policy in force, with the JSON Schema of its values (the draft editor's form). */
  getPolicyInForce(): Promise<{ id: string; name: string; effectiveFrom: string; values: Record<string, unknown>; schema: Record<string, unknown> }>;
  /** The year's campaign progress by town; null when there is no campaign that year. */
  getCampaignProgress(year: number): Promise<CampaignProgress | null>;
  /** Enters (or corrects) a year's official holidays and make-up workdays (administrators). */
  enterCalendarYear(year: number, entry: { source?: string; holidays: { date: string; name: string }[]; workdays: { date: string; name?: string }[] }): Promise<CalendarYearEntered>;
  /** The filtered list as an Excel ledger, its headers and values in `lang` (the console's language). */
  exportXlsx(resource: string, params: ListQueryParams & { lang?: 'zh' | 'en' }): Promise<{ blob: Blob; filename: string }>;
  /** The month's monitoring report (YYYY-MM) as an Excel workbook, over what the caller may see. */
  getMonthlyReport(month: string, lang: 'zh' | 'en'): Promise<{ blob: Blob; filename: string }>;
  importHouseholds(file: File): Promise<ImportReport>;
  /** Upload evidence (a photo or PDF) resumably, reporting the share sent so far (0–1); `uploadId` resumes an interrupted one. */
  uploadFile(file: File, opts?: ResumableOptions): Promise<UploadedFile>;
  /** 数据比对: a department's list as a file, its records with their outcome, and the feedback workbook. */
  sendExchangeFile(file: File, fields: { department: string; kind: string }, onProgress?: (sentBytes: number) => void): Promise<{ id: string; received: number; matched: number; unmatched: number; warnings: number }>;
  getExchangeRecords(batchId: string, result?: string): Promise<ExchangeRecord[]>;
  getExchangeFeedback(batchId: string, lang: 'zh' | 'en'): Promise<{ blob: Blob; filename: string }>;
  /** An uploaded file's bytes (or its thumbnail), fetched with the token. */
  getFileBlob(id: string, thumbnail?: boolean): Promise<Blob>;
  /** A signed link to the file, valid a few minutes, that the browser opens without the token (a new window). */
  getFileLink(id: string): Promise<{ url: string; expiresAt: string }>;
  revokeApiKey(id: string): Promise<ApiKeyRecord>;
  unlockUser(id: string): Promise<UserRecord>;
  resetPassword(id: string, password: string): Promise<void>;
  /** One's own new password (`POST /api/auth/password`). */
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
  replayDeadLetter(id: string): Promise<DeadLetterRecord>;
  activatePolicyVersion(id: string): Promise<PolicyVersionRecord>;
  /** A household's members or contact cadre (`GET /api/households/{id}/members|contact-cadre`), and their writes (PUT). */
  getHouseholdPart<T>(id: string, part: 'members' | 'contact-cadre'): Promise<T>;
  putHouseholdPart<T>(id: string, part: 'members' | 'contact-cadre', body: Record<string, unknown>): Promise<T>;
  getInformationOfficerStaffing(): Promise<InformationOfficerStaffing>;
  /** Publishes a saved draft of a designed process (its key's next version starts new cases). */
  publishProcessDefinition(id: string): Promise<unknown>;
}

/** The file name from `Content-Disposition` (RFC 6266 `filename*` first). */
export function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : fallback;
}

/** The console's data provider against the API at `connection.apiUrl`: every request goes there. */
export function createDataProvider(connection: ApiConnection): AppDataProvider {
  const http = createHttpClient(connection);
  const { apiUrl } = http;
  const path = (...parts: string[]) => `${apiUrl}/${parts.map(encodeURIComponent).join('/')}`;
  const base = simpleRestProvider(apiUrl, http.json);
  // Policy versions are served at <apiUrl>/policy/versions; the console's resource is `policy-versions`.
  // … and batches of the data exchange at <apiUrl>/data-exchange/batches (resource `data-exchange-batches`).
  const at = (resource: string) => (resource === 'policy-versions' ? 'policy/versions' : resource === 'data-exchange-batches' ? 'data-exchange/batches' : resource);
  return {
    ...base,
    getList: (resource, params) => base.getList(at(resource), params),
    getOne: (resource, params) => base.getOne(at(resource), params),
    getMany: (resource, params) => base.getMany(at(resource), params),
    create: (resource, params) => {
      const created = base.create(at(resource), params);
      return resource === 'villages' ? created.catch((err) => Promise.reject(localizeVillageErrors(err))) : created;
    },
    update: (resource: string, params: UpdateParams) => {
      if (resource === 'users') {
        const data = userChanges(params.data, params.previousData);
        if (!Object.keys(data).length) return Promise.resolve({ data: params.previousData });
        return http.json(path('users', String(params.id)), { method: 'PUT', body: json(data) }).then(
          ({ json: record }) => ({ data: record }),
          (err) => Promise.reject(localizeUserErrors(err)),
        );
      }
      if (resource !== 'households') return base.update(resource, params);
      const data = householdChanges(params.data, params.previousData);
      if (!Object.keys(data).length) return Promise.resolve({ data: params.previousData });
      return http.json(path('households', String(params.id)), { method: 'PUT', body: json(data) }).then(({ json: record }) => ({ data: record }));
    },
    getProcessTypes: (lang) => http.json(`${apiUrl}/process-types?lang=${encodeURIComponent(lang)}`).then((r) => r.json),
    startProcess: ({ type, input }) =>
      http.json(`${apiUrl}/processes`, { method: 'POST', body: json({ type, input }), headers: new Headers({ Accept: 'application/json', 'Idempotency-Key': idempotencyKey() }) }).then(
        (r) => r.json,
      ),
    completeStep: ({ processId, stepKey, stepId, form }) =>
      http.json(`${path('processes', processId, 'steps', stepKey)}${stepId ? `?stepId=${encodeURIComponent(stepId)}` : ''}`, {
        method: 'POST',
        body: json(form),
        headers: new Headers({ Accept: 'application/json', 'Idempotency-Key': idempotencyKey() }),
      }).then((r) => r.json),
    sendSignal: ({ processId, signal, payload }) =>
      http.json(path('processes', processId, 'signals', signal), {
        method: 'POST',
        body: json(payload),
        headers: new Headers({ Accept: 'application/json', 'Idempotency-Key': idempotencyKey() }),
      }).then((r) => r.json),
    cancelProcess: ({ processId, reason }) => http.json(path('processes', processId, 'cancel'), { method: 'POST', body: json({ reason }) }).then((r) => r.json),
    getHistory: (processId) => http.json(path('processes', processId, 'history')).then((r) => r.json),
    getDocuments: (processId) => http.json(path('processes', processId, 'documents')).then((r) => r.json),
    getDocumentHtml: async (processId, { kind, village }) => {
      const res = await http.raw(`${path('processes', processId, 'documents', kind)}${village ? `?village=${encodeURIComponent(village)}` : ''}`, { headers: { Accept: 'text/html' } });
      return res.text();
    },
    getOverdueSummary: (groupBy) => http.json(`${apiUrl}/steps/overdue/summary?groupBy=${encodeURIComponent(groupBy)}`).then((r) => r.json),
    getStepSummary: (groupBy) => http.json(`${apiUrl}/steps/summary?groupBy=${encodeURIComponent(groupBy)}`).then((r) => r.json),
    getMonitoringStats: ({ groupBy, from, to }) => http.json(`${apiUrl}/stats/monitoring?${new URLSearchParams({ groupBy, from, to })}`).then((r) => r.json),
    getMonthlySummaryHtml: async (month) => (await http.raw(`${apiUrl}/reports/monthly.html?month=${encodeURIComponent(month)}`, { headers: { Accept: 'text/html' } })).text(),
    getSupervisionScores: (year) => http.json(`${apiUrl}/stats/scores?year=${year}`).then((r) => r.json as SupervisionScores),
    getSecretaryVisits: (year) => http.json(`${apiUrl}/stats/secretary-visits?year=${year}`).then((r) => r.json as SecretaryVisits),
    addWorkingDays: (from, workingDays) => http.json(`${apiUrl}/calendar/add?${new URLSearchParams({ from, workingDays: String(workingDays) })}`).then((r) => r.json.date as string),
    getCampaignProgress: (year) =>
      http.json(`${apiUrl}/campaigns/${year}/progress`).then(
        (r) => r.json as CampaignProgress,
        (e: { status?: number }) => {
          if (e.status === 404) return null;
          throw e;
        },
      ),
    getPolicyInForce: () => http.json(`${apiUrl}/policy`).then((r) => r.json),
    getCalendarYear: (year) => http.json(`${apiUrl}/calendar/${year}`).then((r) => r.json as CalendarYear),
    enterCalendarYear: (year, entry) => http.json(`${apiUrl}/calendar/${year}`, { method: 'PUT', body: json(entry) }).then((r) => r.json as CalendarYearEntered),
    exportXlsx: async (resource, { filter, sort, lang }) => {
      const query = new URLSearchParams();
      if (filter && Object.keys(filter).length) query.set('filter', json(filter));
      if (sort?.field) query.set('sort', json([sort.field, sort.order]));
      const qs = query.toString();
      const res = await http.raw(`${path(resource, 'export.xlsx')}${qs ? `?${qs}` : ''}`, {
        headers: { Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Accept-Language': lang ?? 'zh' },
      });
      return { blob: await res.blob(), filename: filenameOf(res.headers.get('Content-Disposition'), `${resource}.xlsx`) };
    },
    getMonthlyReport: async (month, lang) => {
      const res = await http.raw(`${apiUrl}/reports/monthly.xlsx?${new URLSearchParams({ month, lang })}`, { headers: { Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
      return { blob: await res.blob(), filename: filenameOf(res.headers.get('Content-Disposition'), `monthly-${month}.xlsx`) };
    },
    revokeApiKey: (id) => http.json(path('api-keys', id, 'revoke'), { method: 'POST', body: json({}) }).then((r) => r.json),
    unlockUser: (id) => http.json(path('users', id, 'unlock'), { method: 'POST', body: json({}) }).then((r) => r.json),
    resetPassword: (id, password) => http.json(path('users', id, 'password'), { method: 'POST', body: json({ password }) }).then(() => undefined),
    changePassword: (currentPassword, newPassword) => http.json(path('auth', 'password'), { method: 'POST', body: json({ currentPassword, newPassword }) }).then(() => undefined),
    replayDeadLetter: (id) => http.json(path('dead-letters', id, 'replay'), { method: 'POST', body: json({}) }).then((r) => r.json),
    activatePolicyVersion: (id) => http.json(path('policy', 'versions', id, 'activate'), { method: 'POST', body: json({}) }).then((r) => r.json),
    uploadFile: (file, opts) => uploadResumable<UploadedFile>(apiUrl, file, connection, opts),
    publishProcessDefinition: (id) => http.json(path('process-definitions', id, 'publish'), { method: 'POST', body: json({}) }).then((r) => r.json),
    getFileLink: (id) => http.json(path('files', id, 'link')).then((r) => r.json),
    getFileBlob: async (id, thumbnail) => (await http.raw(thumbnail ? path('files', id, 'thumbnail') : path('files', id), { headers: { Accept: '*/*' } })).blob(),
    getHouseholdPart: (id, part) => http.json(path('households', id, part)).then((r) => r.json),
    putHouseholdPart: (id, part, body) => http.json(path('households', id, part), { method: 'PUT', body: json(body) }).then((r) => r.json),
    getInformationOfficerStaffing: () => http.json(path('stats', 'information-officers')).then((r) => r.json),
    sendExchangeFile: (file, fields, onProgress) => {
      const body = new FormData();
      body.append('department', fields.department);
      body.append('kind', fields.kind);
      body.append('file', file, file.name);
      return postForm(`${apiUrl}/data-exchange/batches`, body, connection, onProgress);
    },
    getExchangeRecords: (batchId, result) =>
      http.json(`${path('data-exchange', 'batches', batchId, 'records')}?${new URLSearchParams({ range: '[0,999]', ...(result ? { filter: json({ result }) } : {}) })}`).then((r) => r.json as ExchangeRecord[]),
    getExchangeFeedback: async (batchId, lang) => {
      const res = await http.raw(path('data-exchange', 'batches', batchId, 'feedback.xlsx'), { headers: { Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Accept-Language': lang } });
      return { blob: await res.blob(), filename: filenameOf(res.headers.get('Content-Disposition'), `${batchId}.xlsx`) };
    },
    importHouseholds: async (file) => {
      const body = new FormData();
      body.append('file', file, file.name);
      const res = await http.raw(`${apiUrl}/households/import`, { method: 'POST', body, headers: { Accept: 'application/json' } });
      return (await res.json()) as ImportReport;
    },
  };
}

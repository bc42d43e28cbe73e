/**
 * Personal data in responses, Excel exports, the printable notice and logs. One table, PRIVACY, says
 * which fields are personal, how each is masked and who sees it whole; the functions below apply it.
 *
 * Who sees what:
 * - identity (ID number, phone, contact, bank account): the household's own area (its village cadres,
 *   its town officers, the district supervisor, admins) and officers of a department involved with
 *   the household or case (it works on a step or raised an alert: their own department's business;
 *   an alert names the sender's own department, contracts/authz.ts speaksFor).
 * - health details (the identification's description, verification findings, diagnoses, the risk
 *   types 因病/因残): the area, and officers of a department that works on a step of the case; an
 *   alerting department sees what it sent itself but not what others wrote.
 * - integrations (API keys) see neither: they read nothing but their own deliveries' answers.
 * - the printable public notice (公示) never carries either, whoever prints it; nor do the other printed
 *   documents (server/documents/), which print names, places, dates and amounts only.
 * - logs never carry either: bodies are not logged, and the redaction below covers headers, known
 *   fields and ID numbers or phone numbers appearing in URLs (a search) and error messages.
 */
import type { EntityManager } from '@mikro-orm/core';
import { coversPlace, type Actor, type Place } from '../contracts/roles';
import { Process } from '../db';
import { maskIdNumber } from './validation/id-number';
import { maskPhone } from './validation/phone';
import { containsCondition } from './lists';
import { sqlWithoutValues } from './logging';

type Sensitivity = 'identity' | 'health';

/** What a caller is to one household or case. */
interface Viewer {
  /** The caller's area covers the place (village cadre, town officer, supervisor, admin). */
  area: boolean;
  /** The caller's department is involved (works on a step, or raised an alert). */
  involved: boolean;
  /** The caller's department owns a step of the case (or, for the register, of a case of the household). */
  worksOn: boolean;
  department?: string;
}

/** What a masked free text becomes. */
export const HIDDEN = '***';
const hidden = () => HIDDEN;
const maskAccount = (v: string) => (v.length <= 4 ? '*'.repeat(v.length) : `${'*'.repeat(v.length - 4)}${v.slice(-4)}`);

/** The masking rules, in one place. */
export const PRIVACY = {
  /** Who sees each kind whole (everyone else gets the mask). */
  visibleTo: {
    identity: (v: Viewer) => v.area || v.involved,
    health: (v: Viewer) => v.area || v.worksOn,
  } satisfies Record<Sensitivity, (v: Viewer) => boolean>,
  /** Fields by name, wherever they occur in a household, a case's state or a step's form. */
  fields: {
    idNumber: { kind: 'identity', mask: maskIdNumber },
    phone: { kind: 'identity', mask: maskPhone },
    contact: { kind: 'identity', mask: maskPhone },
    bankAccount: { kind: 'identity', mask: maskAccount },
    accountNumber: { kind: 'identity', mask: maskAccount },
    description: { kind: 'health', mask: hidden },
    findings: { kind: 'health', mask: hidden },
    disease: { kind: 'health', mask: hidden },
    diagnosis: { kind: 'health', mask: hidden },
  } satisfies Record<string, { kind: Sensitivity; mask: (v: string) => string }>,
  /** Coded values that are health details, replaced by HIDDEN. */
  codes: {
    riskTypes: { kind: 'health', values: ['illness', 'disability'] },
  } satisfies Record<string, { kind: Sensitivity; values: string[] }>,
  /** Timeline entries (state.events) whose summary repeats a health detail after its first '：'. */
  events: {
    department_alert: 'health',
  } satisfies Record<string, Sensitivity>,
  /**
   * Fields of `format: "file-id"` whose files are health documents (medical bills, diagnoses): served only
   * to whoever sees the case's health details (server/commands/files.ts), never printed.
   */
  files: {
    medicalBills: 'health',
    diagnosisDocuments: 'health',
  } satisfies Record<string, Sensitivity>,
  /** Kinds that never appear on the printable public notice. */
  neverOnNotice: ['identity', 'health'] satisfies Sensitivity[],
  /** Log redaction (pino paths; text patterns are masked by redactText). */
  logPaths: [
    'req.headers.authorization',
    'req.headers.cookie',
    '*.authorization',
    '*.cookie',
    'req.headers["idempotency-key"]',
    'res.headers["set-cookie"]',
    'body.password',
    'body.idNumber',
    'body.phone',
    '*.password',
    '*.idNumber',
    '*.phone',
    '*.contact',
    '*.description',
    '*.findings',
  ],
};

type FieldName = keyof typeof PRIVACY.fields;
type CodeField = keyof typeof PRIVACY.codes;
type FileField = keyof typeof PRIVACY.files;

const sees = (kind: Sensitivity, viewer: Viewer, own: boolean) => own || PRIVACY.visibleTo[kind](viewer);

/** The viewer for a case (its place, its departments, its steps' departments). */
function caseViewer(actor: Actor, place: Place, departments: string[], steps: { department?: string | null }[] = []): Viewer {
  const area = coversPlace(actor, place);
  const dept = actor.kind === 'user' && actor.roles.includes('department_officer') ? actor.department : undefined;
  return {
    area,
    involved: !!dept && departments.includes(dept),
    worksOn: !!dept && steps.some((s) => s.department === dept),
    ...(dept ? { department: dept } : {}),
  };
}

type ActorLike = Pick<Actor, 'roles'> & Partial<Pick<Actor, 'kind' | 'town' | 'village' | 'department'>>;

/** The viewer for a household of the register (`involved`: a case of the household concerns the caller's department). */
function householdViewer(actor: ActorLike, place: Place, involved: boolean): Viewer {
  const area = coversPlace(actor, place);
  const dept = actor.kind !== 'integration' && actor.roles.includes('department_officer') ? actor.department : undefined;
  const inv = !!dept && involved;
  return { area, involved: inv, worksOn: inv, ...(dept ? { department: dept } : {}) };
}

const seesAll = (v: Viewer) => PRIVACY.visibleTo.identity(v) && PRIVACY.visibleTo.health(v);

/**
 * A deep copy of `value` with every personal field masked for this viewer. An object naming the
 * viewer's own department (`department`, or `alert.department`) is the department's own entry: shown.
 */
function maskFor<T>(value: T, viewer: Viewer): T {
  if (seesAll(viewer)) return value;
  return walk(value, viewer, false) as T;
}

function walk(value: unknown, viewer: Viewer, own: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, viewer, own));
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const alert = obj.alert as { department?: unknown } | undefined;
  const mine = own || (!!viewer.department && (obj.department === viewer.department || alert?.department === viewer.department));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const field = Object.prototype.hasOwnProperty.call(PRIVACY.fields, k) ? PRIVACY.fields[k as FieldName] : undefined;
    if (field && typeof v === 'string' && !sees(field.kind, viewer, mine)) {
      out[k] = field.mask(v);
      continue;
    }
    const codes = Object.prototype.hasOwnProperty.call(PRIVACY.codes, k) ? PRIVACY.codes[k as CodeField] : undefined;
    if (codes && Array.isArray(v) && !sees(codes.kind, viewer, mine)) {
      out[k] = maskCodes(v, codes.values);
      continue;
    }
    const files = Object.prototype.hasOwnProperty.call(PRIVACY.files, k) ? PRIVACY.files[k as FileField] : undefined;
    if (files && (typeof v === 'string' || Array.isArray(v)) && !sees(files, viewer, mine)) {
      out[k] = Array.isArray(v) ? v.map(() => HIDDEN) : HIDDEN;
      continue;
    }
    out[k] = walk(v, viewer, mine);
  }
  // A file a step used (its EvidenceRef) in a health-document field: which file it was is hidden too.
  if (typeof obj.field === 'string' && typeof obj.sha256 === 'string' && isHealthFileField(obj.field) && !sees(PRIVACY.files[obj.field as FileField], viewer, mine)) {
    out.id = HIDDEN;
    out.sha256 = HIDDEN;
  }
  // A timeline entry repeating a health detail: keep what happened, hide the detail.
  const kind = typeof obj.kind === 'string' ? obj.kind : undefined;
  const eventKind = kind && Object.prototype.hasOwnProperty.call(PRIVACY.events, kind) ? PRIVACY.events[kind as keyof typeof PRIVACY.events] : undefined;
  if (eventKind && typeof obj.summary === 'string' && !sees(eventKind, viewer, mine || (!!viewer.department && obj.summary.startsWith(viewer.department)))) {
    const cut = obj.summary.indexOf('：');
    out.summary = `${cut >= 0 ? obj.summary.slice(0, cut + 1) : ''}${HIDDEN}`;
  }
  return out;
}

function maskCodes(values: unknown[], sensitive: string[]): unknown[] {
  const out = values.map((c) => (typeof c === 'string' && sensitive.includes(c) ? HIDDEN : c));
  return [...new Set(out)];
}

/** A case's live state as this actor may see it. */
export function maskCase<S extends { town: string; village: string; departments?: string[]; steps?: { department?: string | null }[] }>(
  actor: Actor,
  state: S,
  departments: string[] = state.departments ?? [],
): S {
  return maskFor(state, caseViewer(actor, state, [...new Set([...departments, ...(state.departments ?? [])])], state.steps ?? []));
}

/** Is a file-id field one of health documents? */
export const isHealthFileField = (field: string): boolean => Object.prototype.hasOwnProperty.call(PRIVACY.files, field);

/** May this actor see the health details of a case (its place, its departments, its steps' departments)? */
export function seesCaseHealth(actor: Actor, place: Place, departments: string[], steps: { department?: string | null }[]): boolean {
  return PRIVACY.visibleTo.health(caseViewer(actor, place, departments, steps));
}

/** Anything read from a case (its history's entries) masked as its state is for this actor. */
export function maskForCase<T>(actor: Actor, kase: Place & { departments: string[] }, steps: { department?: string | null }[], value: T): T {
  return maskFor(value, caseViewer(actor, kase, kase.departments, steps));
}

/** The coded values a printable notice may carry: those not of a kind that never appears on it (因病, 因残). */
export function onNotice(field: CodeField, values: string[]): string[] {
  const { kind, values: sensitive } = PRIVACY.codes[field];
  return (PRIVACY.neverOnNotice as Sensitivity[]).includes(kind) ? values.filter((v) => !sensitive.includes(v)) : values;
}

// ---------------------------------------------------------------- the household register

/** The ID number, phone and risk types as this actor may see them (`involved`: see householdViewer). */
export function personalFields(
  actor: ActorLike,
  row: Place & { idNumber: string; phone?: string | null; riskTypes?: string[] | null },
  involved = false,
): { idNumber: string; phone: string | null; idNumberMasked: boolean; riskTypes?: string[] } {
  const viewer = householdViewer(actor, row, involved);
  const identity = PRIVACY.visibleTo.identity(viewer);
  const health = PRIVACY.visibleTo.health(viewer);
  return {
    idNumber: identity ? row.idNumber : PRIVACY.fields.idNumber.mask(row.idNumber),
    phone: row.phone ? (identity ? row.phone : PRIVACY.fields.phone.mask(row.phone)) : null,
    idNumberMasked: !identity,
    ...(row.riskTypes ? { riskTypes: health ? [...row.riskTypes] : (maskCodes(row.riskTypes, PRIVACY.codes.riskTypes.values) as string[]) } : {}),
  };
}

/**
 * Households (of `ids`, or all) with a case that involves the actor's department. Empty for anyone
 * but a department officer (the others see by area).
 */
export async function involvedHouseholds(em: EntityManager, actor: Actor, ids?: string[]): Promise<Set<string>> {
  if (actor.kind !== 'user' || !actor.roles.includes('department_officer') || !actor.department) return new Set();
  if (ids && !ids.length) return new Set();
  const where = { $and: [containsCondition('departments', `"${actor.department}"`), ids ? { householdId: { $in: ids } } : { householdId: { $ne: null } }] };
  const rows = await em.find(Process, where as never, { fields: ['householdId'] as never });
  return new Set(rows.map((r) => r.householdId).filter((x): x is string => !!x));
}

// ---------------------------------------------------------------- logs

const ID_NUMBER_RE = /(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])/g;
const MOBILE_RE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;

/** Masks ID numbers and mobile numbers in a text (URLs with a search, error messages carrying SQL). */
export function redactText(text: string | undefined): string | undefined {
  if (text === undefined) return text;
  let s = text;
  try {
    s = decodeURIComponent(text);
  } catch {
    // not URI-encoded: mask as it is
  }
  return s.replace(ID_NUMBER_RE, '$1********$2').replace(MOBILE_RE, '$1****$2');
}

/** Fastify logger options: redacted headers and fields, URLs and errors without ID or phone numbers. */
export function loggerOptions(level = 'info') {
  return {
    level,
    redact: { paths: PRIVACY.logPaths, censor: '[redacted]' },
    // Messages too (an error's message is logged as the line's message).
    hooks: {
      logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)));
      },
    },
    serializers: {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Fastify hands its request here
      req(req: any) {
        return { method: req.method, url: redactText(req.url), host: req.host ?? req.hostname, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
      },
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any thrown value
      err(err: any) {
        // A failed statement without its values (server/logging.ts), then the personal data redacted.
        const text = (t: unknown) => redactText(sqlWithoutValues(err, String(t ?? ''))) ?? '';
        return { type: err?.constructor?.name ?? 'Error', message: text(err?.message), stack: text(err?.stack), code: err?.code, statusCode: err?.statusCode };
      },
    },
  };
}

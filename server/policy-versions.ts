/**
 * Policy versions: the one place that answers “the policy in force now”, and the commands that change it.
 * The values live in the database (policy_version); the policy file only seeds version 1 when the table is
 * empty. A version is drafted by an administrator, activated by another administrator or a district
 * supervisor (four-eyes), and is in force from 00:00 Asia/Shanghai of its `effectiveFrom`: the version in
 * force is the activated one with the latest `effectiveFrom` that has come (the later activation first
 * among equal days). Starters snapshot it into the case (`v<n>#<digest>`); running cases keep theirs.
 *
 * Reading is cheap: the activated versions are cached and the dates compared on every read (a scheduled
 * version applies from its day without a restart); the cache is reloaded on an activation here, and, for
 * activations by another instance, `sync()` (one small query, before each start) notices the change.
 */
import { randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException, type InferEntity } from '@mikro-orm/core';
import { PolicyVersion, type Db } from '../db';
import { PolicyError, canonicalJson, checkPolicyValues, policyValues, valuesDigest, type Policy } from '../policy';
import { describeValue, fieldSchema, fieldTitle, legalBoundProblems, policyProblem } from '../policy/schema';
import type { PolicySections } from '../processes';
import { isIsoDate, shanghaiDate } from '../calendar/dates';
import type { Actor } from '../contracts/roles';
import { audit } from './audit';
import { Refusal, badRequest, conflict, forbidden, invalidField, notFound } from './commands/refusal';
import type { PolicyChange, PolicyStatus, VersionSummary } from '../contracts/policy-versions';
export type { PolicyChange, PolicyStatus, VersionSummary };

type Row = InferEntity<typeof PolicyVersion>;

interface Activated {
  id: string;
  version: number;
  effectiveFrom: string;
  activatedAt: number;
  policy: Policy;
}



/** Who may confirm a draft: an administrator or a district supervisor who did not draft it. */
const ACTIVATORS = ['admin', 'district_supervisor'] as const;

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Each leaf value that differs between two sets of values (a due rule and a month list are one value each). */
export function policyChanges(from: unknown, to: unknown, path = ''): PolicyChange[] {
  const leaf = !isPlainObject(from) || !isPlainObject(to) || (path && fieldSchema(path)?.['x-editor'] === 'dueRule');
  if (leaf) {
    if (canonicalJson(from) === canonicalJson(to)) return [];
    return [{ path, title: fieldTitle(path), from: from ?? null, to: to ?? null, fromText: describeValue(path, from), toText: describeValue(path, to) }];
  }
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  return keys.flatMap((k) => policyChanges(from[k], to[k], path ? `${path}.${k}` : k));
}

export class PolicyVersions {
  private activated: Activated[] = [];
  /** The latest activation this cache has seen (`sync()` compares it with the database's). */
  private mark = '';
  private listeners: ((policy: Policy) => Promise<void>)[] = [];

  constructor(
    private readonly db: Db,
    private readonly seed: Policy,
    /** The clock the day in force is read from (tests move it). */
    readonly now: () => Date = () => new Date(),
  ) {}

  today(): string {
    return shanghaiDate(this.now());
  }

  /** Seed version 1 from the file when there is no version yet, then load the activated versions. */
  async init(): Promise<void> {
    const em = this.db.em();
    if ((await em.count(PolicyVersion, {})) === 0) {
      const values = policyValues(this.seed);
      try {
        em.create(PolicyVersion, {
          id: newId(),
          version: 1,
          status: 'active',
          effectiveFrom: this.today(),
          values: values as unknown as Record<string, unknown>,
          digest: valuesDigest(values),
          createdBy: 'system',
          createdByName: '系统',
          createdAt: this.now(),
          note: `由政策文件导入（文件版本 ${this.seed.version}）`,
          activatedBy: 'system',
          activatedByName: '系统',
          activatedAt: this.now(),
        });
        await em.flush();
      } catch (err) {
        // Another instance seeded it at the same moment.
        if (!(err instanceof UniqueConstraintViolationException)) throw err;
      }
    }
    await this.reload();
  }

  /** Reload the activated versions from the database. */
  async reload(): Promise<void> {
    const rows = await this.db.em().find(PolicyVersion, { activatedAt: { $ne: null } }, { orderBy: { effectiveFrom: 'desc', activatedAt: 'desc' } });
    this.activated = rows.map((r) => ({ id: r.id, version: r.version, effectiveFrom: r.effectiveFrom, activatedAt: r.activatedAt!.getTime(), policy: policyOf(r) }));
    this.mark = latestMark(rows);
  }

  /** Reload when another instance activated a version since the last load (one small query). */
  async sync(): Promise<void> {
    const latest = await this.db.em().findOne(PolicyVersion, { activatedAt: { $ne: null } }, { orderBy: { activatedAt: 'desc' }, fields: ['id', 'activatedAt'] });
    if ((latest ? `${latest.id}@${latest.activatedAt!.getTime()}` : '') !== this.mark) await this.reload();
  }

  private current(today = this.today()): Activated | undefined {
    return this.activated.find((a) => a.effectiveFrom <= today) ?? this.activated.at(-1);
  }

  /** The policy in force now: what a case starting now snapshots. */
  inForce(): Policy {
    return this.current()?.policy ?? this.seed;
  }

  /** Told the policy in force after each activation (the schedules that depend on it, server/app.ts). */
  onActivated(listener: (policy: Policy) => Promise<void>): void {
    this.listeners.push(listener);
  }

  /** A version's status today: drafts stay drafts; an activated one is active, scheduled (its day to come) or retired. */
  statusOf(row: Pick<Row, 'id' | 'activatedAt' | 'effectiveFrom'>): PolicyStatus {
    if (!row.activatedAt) return 'draft';
    const today = this.today();
    if (row.effectiveFrom > today) return 'scheduled';
    return this.current(today)?.id === row.id ? 'active' : 'retired';
  }

  summary(row: Row): VersionSummary {
    return {
      id: row.id,
      version: row.version,
      name: `v${row.version}`,
      status: this.statusOf(row),
      effectiveFrom: row.effectiveFrom,
      digest: row.digest,
      createdBy: row.createdBy,
      createdByName: row.createdByName,
      createdAt: row.createdAt.toISOString(),
      note: row.note,
      activatedBy: row.activatedBy ?? null,
      activatedByName: row.activatedByName ?? null,
      activatedAt: row.activatedAt?.toISOString() ?? null,
    };
  }

  /** A version with its values and what it changes against the version in force. */
  detail(row: Row) {
    const inForce = this.current();
    const base = inForce ? policyValues(inForce.policy) : policyValues(this.seed);
    return {
      ...this.summary(row),
      values: row.values,
      inForce: inForce ? { id: inForce.id, version: inForce.version } : null,
      changes: inForce?.id === row.id ? [] : policyChanges(base, row.values),
    };
  }

  async find(id: string): Promise<Row> {
    const row = await this.db.em().findOne(PolicyVersion, { id });
    if (!row) throw notFound(`没有该政策版本 (no policy version ${id})`);
    return row;
  }

  /** The version in force, as `GET /api/policy` answers it. */
  async inForceRow(): Promise<Row> {
    await this.sync();
    const current = this.current();
    if (!current) throw notFound('尚无生效的政策版本 (no policy version in force)');
    return this.find(current.id);
  }

  /** Check a draft's values: each section's checker, then the plan's legal bounds. A refusal names every key path at fault. */
  checkDraft(values: unknown): PolicySections {
    let checked: PolicySections;
    try {
      checked = checkPolicyValues(values);
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      const problem = policyProblem(err);
      throw badRequest(`政策参数有误：${problem.message}`, [problem]);
    }
    const bounds = legalBoundProblems(checked);
    if (bounds.length) throw badRequest(`政策参数低于法定要求：${bounds.map((b) => b.message).join('；')}`, bounds);
    return checked;
  }

  /** An administrator drafts a version (to roll back, draft a copy of an earlier version's values). */
  async draft(actor: Actor, body: { values: unknown; effectiveFrom: string; note?: string }, ip?: string): Promise<Row> {
    const today = this.today();
    if (!isIsoDate(body.effectiveFrom)) throw invalidField('effectiveFrom', 'format', '生效日期须为 YYYY-MM-DD 格式的日期 (a date YYYY-MM-DD)');
    if (body.effectiveFrom < today) throw invalidField('effectiveFrom', 'not_before_today', `生效日期不能早于今天（${today}） (effectiveFrom is today or later)`);
    const values = this.checkDraft(body.values);
    for (let attempt = 0; ; attempt++) {
      const em = this.db.em().fork();
      const last = await em.findOne(PolicyVersion, { version: { $gt: 0 } }, { orderBy: { version: 'desc' }, fields: ['version'] });
      const row = em.create(PolicyVersion, {
        id: newId(),
        version: (last?.version ?? 0) + 1,
        status: 'draft',
        effectiveFrom: body.effectiveFrom,
        values: values as unknown as Record<string, unknown>,
        digest: valuesDigest(values),
        createdBy: actor.id,
        createdByName: actor.name,
        createdAt: this.now(),
        note: (body.note ?? '').trim(),
        activatedBy: null,
        activatedByName: null,
        activatedAt: null,
      });
      try {
        await em.flush();
      } catch (err) {
        // Two drafts numbered at once: the later takes the next number.
        if (err instanceof UniqueConstraintViolationException && attempt < 5) continue;
        throw err;
      }
      const changes = this.detail(row).changes;
      await audit(this.db, {
        actor,
        action: 'policy_draft',
        target: row.id,
        ip,
        outcome: 'ok',
        detail: { version: row.version, effectiveFrom: row.effectiveFrom, note: row.note, changes: changes.map((c) => `${c.title}：${c.fromText} → ${c.toText}`) },
      });
      return row;
    }
  }

  /**
   * A second person confirms a draft: an administrator or a district supervisor other than its drafter.
   * It is in force from its `effectiveFrom` (today: at once; later: scheduled).
   */
  async activate(actor: Actor, id: string, ip?: string): Promise<Row> {
    const refuse = async (refusal: Refusal): Promise<never> => {
      await audit(this.db, { actor, action: 'policy_activate', target: id, ip, outcome: 'refused', detail: { error: refusal.message } });
      throw refusal;
    };
    if (!actor.roles.some((r) => (ACTIVATORS as readonly string[]).includes(r))) {
      return refuse(forbidden('仅管理员或区专班可启用政策版本 (admins or district supervisors only)'));
    }
    const em = this.db.em().fork();
    const row = await em.findOne(PolicyVersion, { id });
    if (!row) return refuse(notFound(`没有该政策版本 (no policy version ${id})`));
    if (row.activatedAt) return refuse(conflict(`v${row.version} 已于 ${shanghaiDate(row.activatedAt)} 启用，不能再次启用；如需恢复，请复制其参数起草新版本 (already activated: draft a copy to roll back)`));
    if (row.createdBy === actor.id) {
      return refuse(forbidden('政策版本须由另一名管理员或区专班确认后启用，起草人不能自行启用 (four-eyes: a second administrator or a supervisor must confirm)'));
    }
    const today = this.today();
    if (row.effectiveFrom < today) {
      return refuse(
        new Refusal('rule_violation', `生效日期 ${row.effectiveFrom} 已过，请以今天或以后的日期重新起草 (effectiveFrom has passed: draft again)`, [
          { field: 'effectiveFrom', rule: 'not_before_today', message: `生效日期 ${row.effectiveFrom} 早于今天（${today}）` },
        ]),
      );
    }
    const changes = this.detail(row).changes;
    const before = this.inForce();
    const now = this.now();
    row.status = row.effectiveFrom <= today ? 'active' : 'scheduled';
    row.activatedBy = actor.id;
    row.activatedByName = actor.name;
    row.activatedAt = now;
    if (row.status === 'active') await em.nativeUpdate(PolicyVersion, { status: 'active', id: { $ne: row.id } }, { status: 'retired' });
    await em.flush();
    await this.reload();
    await audit(this.db, {
      actor,
      action: 'policy_activate',
      target: row.id,
      ip,
      outcome: 'ok',
      detail: { version: row.version, effectiveFrom: row.effectiveFrom, status: this.statusOf(row), draftedBy: row.createdBy, changes: changes.map((c) => `${c.title}：${c.fromText} → ${c.toText}`) },
    });
    const after = this.inForce();
    if (after !== before) for (const listener of this.listeners) await listener(after);
    return row;
  }
}

function newId(): string {
  return randomBytes(6).toString('hex');
}

function latestMark(rows: Row[]): string {
  const latest = rows.reduce<Row | undefined>((a, r) => (!a || r.activatedAt!.getTime() > a.activatedAt!.getTime() ? r : a), undefined);
  return latest ? `${latest.id}@${latest.activatedAt!.getTime()}` : '';
}

/** A stored version as the starters read it: named `v<n>`, its values checked again on load. */
function policyOf(row: Row): Policy {
  return { version: `v${row.version}`, digest: row.digest, source: `policy_version:${row.id}`, ...checkPolicyValues(row.values) };
}

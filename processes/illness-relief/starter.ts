/**
 * P3 on the server: a settlement from the medical insurance system is recorded (once per event),
 * accumulated per household and year, and passed to the household's open relief case of that year —
 * or, when none is open, starts a new one by signal-with-start once what no case took yet passes the
 * threshold (one open case per household, one case per matter: cases.ts).
 * Also the starter for a case handler's application (`POST /api/processes`, type illnessRelief).
 */
import type { EntityManager } from '@mikro-orm/sqlite';
import { UniqueConstraintViolationException, type InferEntity } from '@mikro-orm/core';
import { Household, MedicalSettlement, Process } from '../../db';
import type { Actor } from '../../contracts/roles';
import { stateQuery } from '../../contracts/messages';
import type { SignalEnvelope } from '../../contracts/steps';
import type { HomeVerificationForm } from '../../contracts/review';
import { IDENTIFICATION } from '../identification/contract';
import {
  ILLNESS_RELIEF,
  SETTLEMENT_AMOUNTS,
  illnessReliefSubject,
  reliefThreshold,
  type HouseholdIncome,
  type IllnessReliefApplication,
  type IllnessReliefInput,
  type MedicalSettlementPayload,
  type ReliefGroup,
  type ReliefThreshold,
  type SettlementEntry,
} from './contract';
import { fen, formatYuan, yuanOf } from '../../contracts/money';
import type { HouseholdStatus, MonitoringStatus } from '../../contracts/vocabulary';
import type { Policy } from '../../policy';
import type { Services } from '../../server/services';
import { badRequest, conflict, invalidField, ruleViolation, unknown, type ErrorDetail } from '../../server/commands/refusal';
import { shanghaiDate } from '../../calendar/dates';
import { visibleHousehold } from '../../server/commands/visible-household';
import { fromTemporal } from '../../server/processes/temporal-errors';
import { signalWithStartProcess, type Prepared, type Starter } from '../../server/processes/start';
import { memberPatient } from './patient';
import { nextReliefId, openReliefCase, runningLegacyCases, takeSettlements, untakenOutOfPocketFen } from './cases';

const TYPE = ILLNESS_RELIEF.type;
const SETTLEMENT = ILLNESS_RELIEF.signals.settlement.definition;

type HouseholdRow = Pick<InferEntity<typeof Household>, 'id' | 'headName' | 'town' | 'village' | 'status' | 'monitoringStatus'>;

// ---------- checks ----------

/** 400 unless every amount has at most two decimals and total = basic + critical + assistance + out-of-pocket, to the fen. */
export function checkSettlementAmounts(s: Pick<MedicalSettlementPayload, (typeof SETTLEMENT_AMOUNTS)[number]>, root = ''): void {
  const field = (k: string) => (root ? `${root}.${k}` : k);
  const details: ErrorDetail[] = SETTLEMENT_AMOUNTS.filter((k) => fen(s[k]) === undefined).map((k) => ({ field: field(k), rule: 'decimals', message: 'at most two decimals (yuan and fen)' }));
  if (details.length) throw badRequest(details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
  const parts = fen(s.paidByBasicInsurance)! + fen(s.paidByCriticalIllnessInsurance)! + fen(s.paidByMedicalAssistance)! + fen(s.outOfPocket)!;
  if (parts !== fen(s.totalCost)) {
    const message = `医疗总费用 ${formatYuan(s.totalCost)} 不等于基本医保、大病保险、医疗救助与个人自付之和 ${formatYuan(yuanOf(parts))} (totalCost must equal paidByBasicInsurance + paidByCriticalIllnessInsurance + paidByMedicalAssistance + outOfPocket)`;
    throw badRequest(message, SETTLEMENT_AMOUNTS.map((k) => ({ field: field(k), rule: 'sum', message: 'the amounts do not add up' })));
  }
}

/** 400 for a settlement dated after today (Shanghai): it would count towards a year that has not begun. */
export function checkSettlementDate(s: Pick<MedicalSettlementPayload, 'settlementDate'>, root = ''): void {
  const today = shanghaiDate(new Date());
  if (s.settlementDate > today) {
    throw invalidField(root ? `${root}.settlementDate` : 'settlementDate', 'notFuture', `结算日期不能晚于今天 ${today} (the settlement date cannot be in the future)`);
  }
}

/** Why a household qualifies: 脱贫户, 监测户 (both, one, or none). */
export function reliefGroups(h: Pick<HouseholdRow, 'status' | 'monitoringStatus'>): ReliefGroup[] {
  const groups: ReliefGroup[] = [];
  if (h.status === 'out_of_poverty') groups.push('out_of_poverty');
  if (h.monitoringStatus === 'monitored') groups.push('monitored');
  return groups;
}

// ---------- the register of settlements ----------

type SettlementRow = InferEntity<typeof MedicalSettlement>;

function entryOf(r: SettlementRow): SettlementEntry {
  return {
    eventKey: r.eventKey,
    ...(r.eventId ? { eventId: r.eventId } : {}),
    ...(r.replacesEventKey ? { replacesEventKey: r.replacesEventKey } : {}),
    ...(r.supersededBy ? { supersededBy: r.supersededBy } : {}),
    source: 'integration',
    receivedAt: new Date(r.receivedAt).toISOString(),
    patient: { name: r.patientName, relation: r.patientRelation },
    disease: r.disease,
    settlementDate: r.settlementDate,
    totalCost: yuanOf(Number(r.totalCostFen)),
    paidByBasicInsurance: yuanOf(Number(r.basicInsuranceFen)),
    paidByCriticalIllnessInsurance: yuanOf(Number(r.criticalIllnessInsuranceFen)),
    paidByMedicalAssistance: yuanOf(Number(r.medicalAssistanceFen)),
    outOfPocket: yuanOf(Number(r.outOfPocketFen)),
  };
}

/** The household's settlements of the year no case took yet (a new matter's), oldest first (superseded ones marked). */
export async function yearSettlements(em: EntityManager, householdId: string, year: number): Promise<SettlementEntry[]> {
  const rows = await em.find(MedicalSettlement, { householdId, year, processId: null }, { orderBy: { id: 'ASC' } });
  return rows.map(entryOf);
}

/** Yearly out-of-pocket in fen: the settlements that count (not superseded by a re-settlement). */
async function yearlyOutOfPocketFen(em: EntityManager, householdId: string, year: number): Promise<number> {
  const rows = await em.find(MedicalSettlement, { householdId, year, supersededBy: null }, { fields: ['outOfPocketFen'] });
  return rows.reduce((s, r) => s + Number(r.outOfPocketFen), 0);
}

const sameContent = (r: SettlementRow, p: MedicalSettlementPayload) =>
  r.householdId === p.householdId &&
  r.settlementDate === p.settlementDate &&
  Number(r.totalCostFen) === fen(p.totalCost) &&
  Number(r.outOfPocketFen) === fen(p.outOfPocket) &&
  Number(r.basicInsuranceFen) === fen(p.paidByBasicInsurance) &&
  Number(r.criticalIllnessInsuranceFen) === fen(p.paidByCriticalIllnessInsurance) &&
  Number(r.medicalAssistanceFen) === fen(p.paidByMedicalAssistance);

/** Store the settlement once per event key; a repeated delivery finds the stored one (duplicate). */
async function recordSettlement(services: Services, actor: Actor, p: MedicalSettlementPayload, eventKey: string): Promise<{ row: SettlementRow; duplicate: boolean }> {
  const find = () => services.db.em().findOne(MedicalSettlement, { eventKey });
  const existing = await find();
  if (existing) return { row: duplicateOf(existing, p), duplicate: true };
  const replacesEventKey = p.replacesEventId ? `e:${p.replacesEventId}` : undefined;
  try {
    await services.db.em().transactional(async (em) => {
      if (replacesEventKey) {
        const replaced = await em.findOne(MedicalSettlement, { eventKey: replacesEventKey, householdId: p.householdId });
        if (!replaced) throw ruleViolation(`被替代的结算 ${p.replacesEventId} 不存在或不属于该户 (the replaced settlement is unknown for this household)`);
        if (replaced.supersededBy && replaced.supersededBy !== eventKey) throw conflict(`结算 ${p.replacesEventId} 已被 ${replaced.supersededBy} 替代 (already replaced)`);
        replaced.supersededBy = eventKey;
      }
      em.create(MedicalSettlement, {
        eventKey,
        eventId: p.eventId ?? null,
        householdId: p.householdId,
        year: Number(p.settlementDate.slice(0, 4)),
        patientName: p.patient.name,
        patientRelation: p.patient.relation,
        disease: p.disease,
        settlementDate: p.settlementDate,
        totalCostFen: fen(p.totalCost)!,
        basicInsuranceFen: fen(p.paidByBasicInsurance)!,
        criticalIllnessInsuranceFen: fen(p.paidByCriticalIllnessInsurance)!,
        medicalAssistanceFen: fen(p.paidByMedicalAssistance)!,
        outOfPocketFen: fen(p.outOfPocket)!,
        replacesEventKey: replacesEventKey ?? null,
        supersededBy: null,
        processId: null,
        receivedBy: actor.id,
        receivedAt: new Date(),
      });
      await em.flush();
    });
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    const raced = await find(); // a concurrent delivery of the same event stored it first
    if (!raced) throw err;
    return { row: duplicateOf(raced, p), duplicate: true };
  }
  return { row: (await find())!, duplicate: false };
}

function duplicateOf(row: SettlementRow, p: MedicalSettlementPayload): SettlementRow {
  if (!sameContent(row, p)) {
    throw conflict(`结算 ${p.eventId ?? ''} 已按不同内容登记；更正请以新的流水号重新结算并填写 replacesEventId (this settlement id was recorded with different content)`);
  }
  return row;
}

// ---------- the household's income (the register has none) ----------

/**
 * The household's yearly income as its latest home verification recorded it (per-capita income ×
 * members): the only place the system records income. Read from the identification case's own state
 * (live or closed, while Temporal keeps it); unknown when there is none or it cannot be read in time.
 */
export async function householdIncome(services: Services, householdId: string): Promise<HouseholdIncome | undefined> {
  const cases = await services.db.em().find(Process, { type: IDENTIFICATION.type, householdId }, { orderBy: { startedAt: 'DESC' }, limit: 3 });
  for (const c of cases) {
    try {
      const state = await withTimeout(services.temporal.client.workflow.getHandle(c.id).query(stateQuery), 3000);
      const done = [...state.steps].reverse().find((s) => s.key === 'homeVerification' && s.status === 'done' && s.result);
      if (!done) continue;
      const form = done.result as HomeVerificationForm;
      return {
        yearly: Math.round(form.perCapitaIncome * form.memberCount * 100) / 100,
        perCapitaIncome: form.perCapitaIncome,
        memberCount: form.memberCount,
        verifiedOn: form.verifiedOn,
        processId: c.id,
      };
    } catch {
      // history gone or not answering: try an older case, else fall back to the fixed sum
    }
  }
  return undefined;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]).finally(() => clearTimeout(timer));
}

// ---------- the case ----------

function prepareCase(
  processId: string,
  household: HouseholdRow,
  year: number,
  groups: ReliefGroup[],
  threshold: ReliefThreshold,
  settlements: (processId: string) => SettlementEntry[],
  actor: Actor,
  policy: Policy,
  application?: { description: string },
): Prepared & { processId: string } {
  const subject = illnessReliefSubject(household.id);
  return {
    processId,
    subject,
    place: { town: household.town, village: household.village },
    householdId: household.id,
    workflowArgs: (id: string): [IllnessReliefInput] => [
      {
        processId: id,
        year,
        household: {
          id: household.id,
          headName: household.headName,
          town: household.town,
          village: household.village,
          status: household.status as HouseholdStatus,
          monitoringStatus: household.monitoringStatus as MonitoringStatus,
        },
        groups,
        threshold,
        settlements: settlements(id),
        ...(application ? { application } : {}),
        subject,
        startedBy: { id: actor.id, name: actor.name },
        policy: policy.illnessRelief,
        policyVersion: `${policy.version}#${policy.digest}`,
      },
    ],
  };
}

const notInGroups = (h: HouseholdRow) =>
  `该户为${h.status === 'out_of_poverty' ? '脱贫户' : '一般农户'}且${h.monitoringStatus === 'monitored' ? '是' : '不是'}监测户：大病一事一议特殊救助仅面向脱贫户和监测户 (only out-of-poverty and monitored households qualify)`;

export interface SettlementAnswer {
  recorded: true;
  duplicate: boolean;
  caseStarted: boolean;
  processId?: string;
  reason?: string;
  householdId: string;
  year: number;
  yearlyOutOfPocket: number;
  threshold?: ReliefThreshold;
}

/**
 * One settlement from the medical insurance system: record it (once), then pass it to the year's
 * case or start that case when the threshold is passed. 201 a case started, 202 an open case took it,
 * 200 recorded only (with the reason no case started).
 */
export async function receiveSettlement(
  services: Services,
  actor: Actor,
  payload: MedicalSettlementPayload,
  eventKey: string,
): Promise<{ status: number; body: SettlementAnswer }> {
  const em = services.db.em();
  const household = await em.findOne(Household, { id: payload.householdId });
  if (!household) throw unknown.household(payload.householdId);
  const year = Number(payload.settlementDate.slice(0, 4));
  const { row, duplicate } = await recordSettlement(services, actor, payload, eventKey);
  const entry = entryOf(row);
  const yearly = await yearlyOutOfPocketFen(em, household.id, year);
  const base = { recorded: true as const, duplicate, householdId: household.id, year, yearlyOutOfPocket: yuanOf(yearly) };
  const env: SignalEnvelope<SettlementEntry> = { payload: entry, actor, eventId: entry.eventKey, receivedAt: entry.receivedAt };
  const passedTo = (processId: string) => em.nativeUpdate(MedicalSettlement, { id: row.id }, { processId });

  // The household's open case takes every settlement of its year; one of another year waits for the next case.
  const open = await openReliefCase(services, household.id);
  if (open && open.year === year) {
    try {
      await services.temporal.client.workflow.getHandle(open.id).signal(SETTLEMENT, env);
    } catch (err) {
      throw fromTemporal(err);
    }
    await passedTo(open.id);
    return { status: 202, body: { ...base, caseStarted: false, processId: open.id, reason: '已转入本年度办理中的救助案件 (passed to the open case of the year)' } };
  }
  if (open) {
    return { status: 200, body: { ...base, caseStarted: false, processId: open.id, reason: `该户 ${open.year} 年度的救助案件办理中，本结算已登记，该案办结后计入新的救助 (recorded: the open case is of another year)` } };
  }

  const groups = reliefGroups(household);
  if (!groups.length) return { status: 200, body: { ...base, caseStarted: false, reason: notInGroups(household) } };

  // 一事一议: what no case took yet (a matter after an earlier case of the year closed) is judged on its own.
  const untaken = await untakenOutOfPocketFen(em, household.id, year);
  const policy = services.policy();
  const threshold = reliefThreshold(policy.illnessRelief.threshold, await householdIncome(services, household.id));
  if (untaken <= fen(threshold.amount)!) {
    const what = untaken === yearly ? '本年累计个人自付' : '本年尚未救助的个人自付';
    return {
      status: 200,
      body: { ...base, caseStarted: false, threshold, reason: `${what} ${formatYuan(yuanOf(untaken))}，未超过救助标准 ${formatYuan(threshold.amount)} (below the threshold)` },
    };
  }

  const settlements = await yearSettlements(em, household.id, year);
  const processId = await nextReliefId(em, household.id, year);
  const prepared = prepareCase(processId, household, year, groups, threshold, () => settlements, actor, policy);
  const started = await signalWithStartProcess(services, TYPE, prepared, { definition: SETTLEMENT, env });
  await takeSettlements(em, household.id, year, started.id);
  return started.started
    ? { status: 201, body: { ...base, caseStarted: true, processId: started.id, threshold } }
    : { status: 202, body: { ...base, caseStarted: false, processId: started.id, threshold, reason: '已转入本年度办理中的救助案件 (passed to the open case of the year)' } };
}

/**
 * A case handler's application (依申请) through `POST /api/processes`: the household must be a 脱贫户
 * or 监测户; the declared expenses enter the case (not the settlement register, which holds what the
 * insurance system reported); no threshold applies: the town's assessment judges the impact.
 */
export const illnessReliefStarter: Starter<IllnessReliefApplication> = {
  async prepare(em: EntityManager, actor: Actor, request: IllnessReliefApplication, policy: Policy) {
    const household = await visibleHousehold(em, actor, request.householdId);
    checkSettlementAmounts(request, 'input');
    checkSettlementDate(request, 'input');
    const groups = reliefGroups(household);
    if (!groups.length) throw ruleViolation(notInGroups(household));
    const year = Number(request.settlementDate.slice(0, 4));
    // One open case per household (the guard below holds it; cases started per household and year are found here).
    const [legacy] = await runningLegacyCases(em, household.id);
    if (legacy) throw conflict(`该户已有办理中的大病救助案件 (an open case exists)`, { id: legacy.id });
    const processId = await nextReliefId(em, household.id, year);
    const known = await yearSettlements(em, household.id, year);
    const patient = await memberPatient(em, household.id, request.patient, 'input.patient.name');
    const { description, householdId: _h, ...written } = request;
    const declared = { ...written, patient };
    const settlements = (id: string): SettlementEntry[] => [...known, { ...declared, eventKey: `application:${id}`, source: 'application', receivedAt: new Date().toISOString() }];
    return prepareCase(processId, household, year, groups, reliefThreshold(policy.illnessRelief.threshold), settlements, actor, policy, { description });
  },
};


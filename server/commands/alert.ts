/**
 * A department screening alert (部门筛查预警), from a department officer or a department's system:
 * it joins the household's open identification as a signal, or starts one.
 */
import { processType } from '../../processes';
import { IDENTIFICATION, type DepartmentAlertPayload } from '../../processes/identification/contract';
import { RISK_TYPES, type RiskType } from '../../contracts/vocabulary';
import { integrationAllows, may, speaksFor } from '../../contracts/authz';
import type { Actor } from '../../contracts/roles';
import type { SignalEnvelope } from '../../contracts/steps';
import type { Services } from '../services';
import { openCaseOf } from '../processes/start';
import { validateAgainst } from '../processes/validate';
import { fromTemporal } from '../processes/temporal-errors';
import type { Attempt, Ready } from './command';
import { forbidden, notOwnDepartment } from './refusal';
import { startOnce } from './start';

export interface AlertInput {
  householdId: string;
  department: string;
  reference?: string;
  riskTypes?: string[];
  description: string;
  category?: string;
}

/** The identification the alert went to, and whether the alert started it. */
export interface Alerted {
  processId: string;
  started: boolean;
}

const ALERT = IDENTIFICATION.signals.departmentAlert.definition;
/** The catalogue's identification and its alert signal (read when used: the registry imports the commands' users). */
const identification = () => processType(IDENTIFICATION.type)!;
const alertSignal = () => identification().signals.find((s) => s.name === ALERT.name)!;
/** The alert's payload check has tested every code against the vocabulary; this tells the compiler so. */
const isRiskType = (code: string): code is RiskType => code in RISK_TYPES;

export async function alert(services: Services, actor: Actor, input: AlertInput): Promise<Ready<Alerted>> {
  if (actor.kind === 'integration' ? !integrationAllows(actor, 'alert') : !may(actor, 'alerts.send')) {
    throw forbidden(actor.kind === 'integration' ? '接口密钥无权推送部门预警 (the API key lacks the alert scope)' : '仅区级部门可推送预警 (only departments send alerts)');
  }
  // Both readings of the alert must hold before anything is attempted: it may become either.
  validateAgainst(alertSignal().schema, alertPayload(input), '');
  validateAgainst(identification().startSchema, startInput(input), 'input');
  if (!speaksFor(actor, input.department)) throw notOwnDepartment('department');
  return { run: (attempt = {}) => deliver(services, actor, input, attempt) };
}

async function deliver(services: Services, actor: Actor, input: AlertInput, attempt: Attempt): Promise<Alerted> {
  const open = await openCaseOf(services, IDENTIFICATION.type, input.householdId);
  if (!open) {
    const started = await startOnce(services, actor, IDENTIFICATION.type, startInput(input), attempt);
    return { processId: started.id, started: true };
  }
  const env: SignalEnvelope<DepartmentAlertPayload> = { payload: alertPayload(input), actor, eventId: attempt.eventId, receivedAt: new Date().toISOString() };
  try {
    await services.temporal.client.workflow.getHandle(open).signal(ALERT, env);
  } catch (err) {
    throw fromTemporal(err);
  }
  return { processId: open, started: false };
}

const alertPayload = (a: AlertInput): DepartmentAlertPayload => ({ department: a.department, reference: a.reference, riskTypes: a.riskTypes?.filter(isRiskType), description: a.description });

/** The start input an alert stands for when its household has no open identification. */
function startInput(a: AlertInput): Record<string, unknown> {
  return {
    householdId: a.householdId,
    channel: 'department_alert',
    category: a.category ?? 'sudden_hardship',
    riskTypes: a.riskTypes?.length ? a.riskTypes : ['other'],
    description: a.description,
    alert: { department: a.department, ...(a.reference ? { reference: a.reference } : {}) },
  };
}

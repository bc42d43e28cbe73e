/**
 * The activities of designed processes: FEEL conditions (feelin reads the clock for `now()` / `today()`,
 * so conditions are evaluated here and the choice is recorded in the history), and the catalogue of
 * service-task actions. Each action is idempotent by (case, element): a retried activity does not act twice.
 */
import { evaluate } from 'feelin';
import { ApplicationFailure } from '@temporalio/common';
import { AuditEntry, type Db } from '../../db';
import type { ServiceAction } from '../../contracts/bpmn/designed';
import { RISK_TYPES, MONITORING_CATEGORIES } from '../../contracts/vocabulary';
import type { ConditionsQuery } from './contract';

type StartCase = (type: string, input: Record<string, unknown>, startedBy: { id: string; name: string }) => Promise<{ id: string; existing: boolean }>;

export interface ServiceActionArgs {
  action: ServiceAction;
  processId: string;
  element: string;
  householdId?: string;
  department?: string;
  startedBy: { id: string; name: string };
  forms: Record<string, unknown>;
}

/** The latest value a form of the case gave a field (task forms after the start form). */
function latest(forms: Record<string, unknown>, field: string): unknown {
  let value: unknown;
  for (const form of Object.values(forms)) {
    if (form && typeof form === 'object' && field in form) value = (form as Record<string, unknown>)[field];
  }
  return value;
}

export function designedActivities({ db, startCase }: { db: Db; startCase?: StartCase }) {
  const done = async (args: ServiceActionArgs) =>
    db.em().findOne(AuditEntry, { action: `service_${args.action}`, processId: args.processId, target: args.element });
  const remember = async (args: ServiceActionArgs, detail: Record<string, unknown>) => {
    const em = db.em();
    em.create(AuditEntry, {
      at: new Date(),
      actorKind: 'system',
      actorId: 'system',
      actorName: `系统（代 ${args.startedBy.name}）`,
      action: `service_${args.action}`,
      processId: args.processId,
      target: args.element,
      ip: null,
      outcome: 'ok',
      detail,
    });
    await em.flush();
  };

  return {
    /** The first flow whose FEEL condition is `true` over the case's forms, or null. */
    async firstTrueCondition({ conditions, context }: ConditionsQuery): Promise<string | null> {
      for (const c of conditions) {
        try {
          if (evaluate(c.expression, context).value === true) return c.flow;
        } catch {
          // an expression that fails on these values is not true
        }
      }
      return null;
    },

    /** Run a service task's catalogue action once; answers what it did, in words. */
    async runServiceAction(args: ServiceActionArgs): Promise<{ summary: string }> {
      const before = await done(args);
      if (before) return { summary: String((before.detail as { summary?: unknown } | null)?.summary ?? '已执行') };
      let summary: string;
      switch (args.action) {
        case 'startIdentification': {
          if (!args.householdId) {
            summary = '本流程没有关联农户，未发起监测对象认定';
            break;
          }
          if (!startCase) throw ApplicationFailure.nonRetryable('no case starter is wired into this worker', 'NotConfigured');
          const risks = latest(args.forms, 'riskTypes');
          const category = latest(args.forms, 'category');
          const description = latest(args.forms, 'description');
          try {
            const started = await startCase(
              'identification',
              {
                householdId: args.householdId,
                channel: 'cadre_check',
                category: typeof category === 'string' && category in MONITORING_CATEGORIES ? category : 'sudden_hardship',
                riskTypes: Array.isArray(risks) && risks.length && risks.every((r) => typeof r === 'string' && r in RISK_TYPES) ? risks : ['other'],
                description: typeof description === 'string' && description.trim() ? description : `由流程 ${args.processId} 发起`,
              },
              args.startedBy,
            );
            summary = started.existing ? `该户已有办理中的监测对象认定 ${started.id}` : `已发起监测对象认定 ${started.id}`;
          } catch (err) {
            if (!(err instanceof ApplicationFailure) || err.type !== 'FollowUpRefused') throw err;
            summary = `未能发起监测对象认定：${err.message.replace(/^identification: /, '')}`;
          }
          break;
        }
        case 'notifyDepartment':
          summary = `已通知${args.department ?? '相关部门'}，该部门可查看本案件`;
          break;
        case 'addHelperMeasure':
          summary = `已登记帮扶措施：${String(latest(args.forms, 'measure') ?? '见办理表单')}`;
          break;
        case 'setHouseholdFlag':
          summary = `已标记农户：${String(latest(args.forms, 'flag') ?? '见办理表单')}`;
          break;
      }
      await remember(args, { summary, department: args.department ?? null });
      return { summary };
    },
  };
}

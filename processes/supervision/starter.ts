/**
 * How a district supervisor sends a 督办: the unit (one town or one department), the overdue steps it
 * is about (each open, past its due time and that unit's: a town's steps, or the department's), and
 * what is required. The steps as they stand now go into the case (its items, linked to their cases).
 * One open notice per unit and set of steps: sending the same again answers 409 with the open one.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sqlite';
import type { Actor } from '../../contracts/roles';
import { Process, Step, Village } from '../../db';
import type { Policy } from '../../policy';
import { forbidden, invalidField } from '../../server/commands/refusal';
import type { Starter } from '../../server/processes/start';
import type { SupervisedStep, SupervisionInput, SupervisionRequest } from './contract';

export const supervisionStarter: Starter<SupervisionRequest> = {
  async prepare(em: EntityManager, actor: Actor, request: SupervisionRequest, policy: Policy) {
    if (actor.kind !== 'user') throw forbidden('督办由区里发出 (the district sends a supervision notice)');
    const { town, department } = request;
    if (!town === !department) throw invalidField('input.town', 'oneOf', '请选择督办的镇或部门（二者选一）(name either a town or a department)');
    if (town && !(await em.count(Village, { town }))) throw invalidField('input.town', 'unknown', `没有名为「${town}」的镇 (no such town)`);
    const now = new Date();
    const rows = await em.find(Step, { id: { $in: request.stepIds } });
    const items: SupervisedStep[] = [];
    for (const [i, id] of request.stepIds.entries()) {
      const field = `input.stepIds.${i}`;
      const step = rows.find((r) => r.id === id);
      if (!step) throw invalidField(field, 'unknown', `没有此环节 ${id} (no such step)`);
      if (step.status !== 'open' || step.dueAt >= now) throw invalidField(field, 'overdue', `「${step.titleZh}」不是逾期未办的环节 (the step is not open and overdue)`);
      if (town ? step.town !== town : step.department !== department) {
        throw invalidField(field, 'unit', `「${step.titleZh}」不属于${town ?? department}办理 (the step is not that unit's)`);
      }
      const kase = await em.findOne(Process, { id: step.processId });
      items.push({
        stepId: step.id,
        processId: step.processId,
        processType: step.processType,
        title: step.titleZh,
        ...(step.householdId ? { householdId: step.householdId } : {}),
        ...(kase?.title ? { headName: kase.title } : {}),
        town: step.town,
        village: step.village,
        dueDate: step.dueDate,
      });
    }
    const unit = town ? `town-${digest(town)}` : `department-${digest(department!)}`;
    const steps = digest([...request.stepIds].sort().join(','));
    return {
      subject: `${unit}-${steps}`,
      place: { town: town ?? '', village: '' },
      workflowArgs: (processId: string): [SupervisionInput] => [
        {
          processId,
          target: town ? { town } : { department: department! },
          items,
          requirement: request.requirement.trim(),
          sentBy: { id: actor.id, name: actor.name },
          policy: policy.supervision,
          policyVersion: `${policy.version}#${policy.digest}`,
        },
      ],
    };
  },
};

/** A short stable ASCII name for a unit or a set of steps (case ids stay URL-safe). */
const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 10);

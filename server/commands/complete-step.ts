/**
 * Complete an open step of a case with its form: a Temporal Update, so that the workflow's validator
 * (workflows/case.ts validateCompletion) refuses what its rules refuse and nothing changes (422), and
 * a completion that is taken is answered with the case's new state.
 *
 * Who may complete it is checked here once, from the catalogue, when the catalogue fixes the holder (a
 * role in the case's village or town, a named department, the district): before the form, so that an
 * outsider learns nothing from form errors. When the case chose the holder (the household's helper, a
 * visit team, the department a rectification named), only the open instance knows them: the
 * workflow's validator, which holds it, decides (with the same contracts/authz.ts mayCompleteStep).
 */
import { processTypeOfCase } from '../processes/definitions';
import { completeStepUpdate } from '../../contracts/messages';
import { mayCompleteStep } from '../../contracts/authz';
import type { Actor } from '../../contracts/roles';
import type { CaseState, StepDefinition } from '../../contracts/steps';
import type { Services } from '../services';
import { validateAgainst } from '../processes/validate';
import { enrichForm } from '../processes/forms';
import { fromTemporal } from '../processes/temporal-errors';
import { attachEvidence, stepEvidence } from '../files/step-files';
import type { Ready } from './command';
import { forbidden, notFound } from './refusal';
import { visibleCase } from './visible-case';

export interface CompleteStepInput {
  processId: string;
  stepKey: string;
  /** Which open instance, for a step open more than once (one visit per household). */
  stepId?: string;
  form: unknown;
}

export async function completeStep(services: Services, actor: Actor, input: CompleteStepInput): Promise<Ready<CaseState>> {
  const found = await visibleCase(services, actor, input.processId);
  const step = (await processTypeOfCase(services, found))?.steps.find((s) => s.key === input.stepKey);
  if (!step) throw notFound(`本流程没有步骤 ${input.stepKey} (unknown step)`);
  if (!chosenByCase(step) && !mayCompleteStep(actor, step, found)) {
    throw forbidden(`无权办理「${step.title.zh}」(your role or area may not complete this step)`);
  }
  validateAgainst(step.form, input.form, '');
  const use = { processId: found.id, type: found.type, stepKey: step.key, town: found.town, village: found.village, ...(input.stepId ? { stepId: input.stepId } : {}) };
  const files = await stepEvidence(services, actor, use, step.form, input.form);
  const form = await enrichForm(services, input.form);
  return {
    async run({ eventId } = {}) {
      let state: CaseState;
      try {
        state = await services.temporal.client.workflow.getHandle(input.processId).executeUpdate(completeStepUpdate, {
          args: [{ stepKey: step.key, stepId: input.stepId, form, ...(files.length ? { files } : {}), actor, eventId, at: new Date().toISOString() }],
          ...(eventId ? { updateId: eventId } : {}),
        });
      } catch (err) {
        throw fromTemporal(err);
      }
      await attachEvidence(services, use, files);
      return state;
    },
  };
}

/** A step whose holder the case names when it opens it. */
const chosenByCase = (step: Pick<StepDefinition, 'scope' | 'department'>) => step.scope === 'assignee' || (step.scope === 'department' && !step.department);

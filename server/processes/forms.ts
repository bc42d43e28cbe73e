/**
 * What the API adds to a step's form before the workflow sees it: facts only the register knows
 * (e.g. the co-verifier of a home verification as a user record), so the workflow's validator can
 * apply the rule without I/O.
 */
import { User } from '../../db';
import type { Services } from '../services';
import { invalidField } from '../errors';

export async function enrichStepForm(services: Services, stepKey: string, form: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (stepKey === 'homeVerification' && typeof form.coVerifierId === 'string') {
    const user = await services.db.em().findOne(User, { id: form.coVerifierId, active: true });
    if (!user) throw invalidField('coVerifierId', 'exists', `没有该用户 ${form.coVerifierId} (no such active user)`);
    return { ...form, coVerifier: { id: user.id, name: user.name, roles: user.roles, town: user.town ?? undefined, village: user.village ?? undefined } };
  }
  return form;
}

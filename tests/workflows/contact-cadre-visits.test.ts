/**
 * 包户干部 on the time-skipping server: the March/August/November visit to a 脱贫户 with a contact cadre
 * is that person's alone (another cadre of the village cannot record it, the contact cadre can, even
 * from another village); a 脱贫户 without one keeps the village's cadres.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkflowEnv, type WorkflowTestEnv } from '../helpers/workflow-env';
import { Household, Step } from '../../db';
import { completeStepUpdate } from '../../contracts/messages';
import { mayCompleteStep } from '../../contracts/authz';
import type { Actor } from '../../contracts/roles';

let t: WorkflowTestEnv;
let villageCadre: Actor;
let contact: Actor;
beforeAll(async () => {
  t = await startWorkflowEnv();
  villageCadre = await t.actor('cadre.rongguang');
  contact = await t.actor('town.tongjing');
  // H00000001 (荣光村) gets a contact cadre at town level; H00000002 (荣光村) has none.
  const em = t.db.em();
  const h = await em.findOneOrFail(Household, { id: 'H00000001' });
  h.contactCadreId = contact.id;
  h.contactCadreName = contact.name;
  h.contactCadreSince = new Date();
  await em.flush();
});
afterAll(async () => t?.close());

describe('visits to 脱贫户 go to the contact cadre', () => {
  it("the contact cadre's household is theirs alone; the others stay with the village's cadres", async () => {
    const count = await t.db.em().count(Household, { status: 'out_of_poverty' });
    await t.env.client.workflow.start('outOfPovertyVisitRound', { workflowId: 'round-contact-cadre', taskQueue: t.taskQueue, args: [{ due: { endOfMonth: true } }] });
    let rows = await t.db.em().find(Step, { processType: 'outOfPovertyVisit' });
    for (let i = 0; i < 200 && rows.length < count; i++) {
      await new Promise((r) => setTimeout(r, 50));
      rows = await t.db.em().find(Step, { processType: 'outOfPovertyVisit' });
    }
    expect(rows).toHaveLength(count);
    const withCadre = rows.find((r) => r.householdId === 'H00000001')!;
    const without = rows.find((r) => r.householdId === 'H00000002')!;
    expect(withCadre.scope).toBe('assignee');
    expect(withCadre.assignee).toBe(contact.id);
    expect(without.scope).toBe('village');
    const place = { town: '统景镇', village: '荣光村' };
    expect(mayCompleteStep(villageCadre, { role: 'village_cadre', scope: 'assignee', assignee: { id: contact.id, name: contact.name } }, place)).toBe(false);

    const now = await t.env.currentTimeMs();
    const today = new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
    const visit = t.env.client.workflow.getHandle(withCadre.processId);
    await expect(visit.executeUpdate(completeStepUpdate, { args: [{ stepKey: 'povertyVisit', form: { visitedOn: today, notes: '村干部代走访' }, actor: villageCadre }] })).rejects.toThrow();
    const state = await visit.executeUpdate(completeStepUpdate, { args: [{ stepKey: 'povertyVisit', form: { visitedOn: today, notes: '包户干部走访，生活稳定' }, actor: contact }] });
    expect(state.status).toBe('completed');

    const other = t.env.client.workflow.getHandle(without.processId);
    const done = await other.executeUpdate(completeStepUpdate, { args: [{ stepKey: 'povertyVisit', form: { visitedOn: today, notes: '生活稳定' }, actor: villageCadre }] });
    expect(done.status).toBe('completed');
  });
});

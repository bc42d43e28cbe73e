/** A household's visit case (`campaignVisit:<year>:<household>`): the checklist, then a rectification per failed item. */
import { patched, setHandler } from '@temporalio/workflow';
import { Case, endOf, type CaseEnd, type OpenStep } from '../../../workflows/case';
import { CAMPAIGN, CHECKLIST_ITEMS, CHECKLIST_KEYS, daysBetween, teamChangedSignal, type CampaignVisitForm, type CampaignVisitInput, type ChecklistItem, type ConfirmVisitForm, type Person, type Team } from '../contract';
import { rectificationId } from '../../rectification/contract';
import { rectification } from '../../rectification/workflows';
import { today } from '../../../workflows/clock';
import { fanOut, names } from './common';
import { educationEntry, studentsRefusal } from './students';

interface VisitData extends Record<string, unknown> {
  headName: string;
  year: number;
  team: Team;
  problems: { item: ChecklistItem; note: string; processId: string }[];
}

export async function campaignVisit(input: CampaignVisitInput): Promise<CaseEnd> {
  const { household, year } = input;
  const kase = new Case<VisitData>({
    processId: input.processId,
    type: CAMPAIGN.type,
    householdId: household.id,
    subject: `${year}:${household.id}`,
    town: household.town,
    village: household.village,
    stage: 'visit',
    data: { headName: household.headName, year, team: input.team, problems: [] },
  });
  // 两人一组 (item 51): the other member confirms what one recorded. Runs started before: one records alone.
  const secondConfirms = patched('campaign-visit-confirm');
  // The household's students (issue 21): the visit asks about each. Runs started before: today's form.
  const students = household.students?.length && patched('campaign-students') ? household.students : [];
  let step: OpenStep<CampaignVisitForm> | undefined;
  let confirm: { step: OpenStep<ConfirmVisitForm>; recordedBy: Person } | undefined;
  /** The member who did not record the visit. */
  const secondOf = (team: Team, recordedBy: Person): Person => team.find((m) => m.id !== recordedBy.id) ?? team[1];
  setHandler(teamChangedSignal, async (c) => {
    kase.state.data.team = c.team;
    if (step?.isOpen) {
      step.instance.assignee = c.team[0];
      step.instance.context = { ...step.instance.context, team: c.team };
    }
    if (confirm?.step.isOpen) confirm.step.instance.assignee = secondOf(c.team, confirm.recordedBy);
    kase.record('team_changed', `走访小组调整为 ${names(c.team)}：${c.reason}`, { actor: c.by });
    await kase.commit();
  });
  return kase.run(async () => {
    let recorded: { form: CampaignVisitForm; actor: Person };
    for (;;) {
      kase.setStage('visit');
      const team = kase.state.data.team;
      step = await kase.openStep<CampaignVisitForm>(CAMPAIGN.steps.campaignVisit, { calendarDays: daysBetween(kase.day(), input.visitEndsOn) }, {
        assignee: team[0],
        context: { team, year, ...(students.length ? { students: students.map((s) => s.name) } : {}) },
        validate: (form) => {
          if (form.visitedOn > today()) return '走访日期不能晚于今天 (the visit date cannot be in the future)';
          for (const k of CHECKLIST_KEYS) {
            const e = form.items[k];
            if (e.result === 'fail' && !e.note?.trim()) return `「${CHECKLIST_ITEMS[k].zh}」不达标，须说明问题 (a failed item needs a note)`;
          }
          if (students.length) return studentsRefusal(students, form.students);
          if (form.students?.length) return { field: 'students', rule: 'none', message: '本户没有在校学生，无需填写学生情况 (the household has no student)' };
          return undefined;
        },
      });
      const done = await kase.completion(step);
      recorded = { form: done.form, actor: { id: done.actor.id, name: done.actor.name } };
      if (!secondConfirms) break;
      kase.setStage('confirmVisit');
      const recordedBy = recorded.actor;
      const second = secondOf(kase.state.data.team, recordedBy);
      confirm = {
        recordedBy,
        step: await kase.openStep<ConfirmVisitForm>(CAMPAIGN.steps.confirmVisit, { calendarDays: daysBetween(kase.day(), input.visitEndsOn) }, {
          assignee: second,
          context: { year, recordedBy },
          validate: (form, actor) => {
            if (actor.id === recordedBy.id) return '记录走访的组员不能自己确认，须由同组另一名组员确认 (the other team member confirms)';
            if (form.decision === 'dispute' && !form.note?.trim()) return '不确认走访须说明原因 (a disputed visit needs a note)';
            return undefined;
          },
        }),
      };
      const word = await kase.completion(confirm.step);
      if (word.form.decision === 'confirm') {
        kase.record('visit_confirmed', `${word.actor.name} 确认与 ${recordedBy.name} 同组入户走访，记录属实`);
        break;
      }
      kase.record('visit_disputed', `${word.actor.name} 不确认 ${recordedBy.name} 记录的走访：${word.form.note}；退回重新走访`);
    }
    const { actor } = recorded;
    // A student's dropout (辍学) is an education problem, whatever the checklist's education item says.
    const form = students.length ? { ...recorded.form, items: { ...recorded.form.items, education: educationEntry(recorded.form.items.education, recorded.form.students) } } : recorded.form;
    const failed = CHECKLIST_KEYS.filter((k) => form.items[k].result === 'fail');
    if (failed.length === 0) {
      kase.setStage('closed');
      return { status: 'completed', result: '已走访，未发现问题 (visited: no problem)' };
    }
    kase.setStage('rectification');
    const foundBy: Person = { id: actor.id, name: actor.name };
    const problems = failed.map((item) => ({ item, note: form.items[item].note ?? '', processId: rectificationId(year, household.id, item) }));
    kase.state.data.problems = problems;
    kase.record('problems_found', `发现问题 ${problems.length} 个：${failed.map((k) => CHECKLIST_ITEMS[k].zh).join('、')}`);
    await kase.commit();
    const ended = await fanOut(
      rectification,
      problems.map((p) => ({
        id: p.processId,
        arg: { processId: p.processId, year, household, item: p.item, note: p.note, foundBy, visitId: input.processId, rectifyEndsOn: input.rectifyEndsOn, policy: input.policy },
      })),
    );
    await kase.waitFor(() => ended() === problems.length);
    kase.setStage('closed');
    return { status: 'completed', result: '已走访，发现问题全部销号 (visited; every problem closed)' };
  }).then(endOf);
}

/**
 * One 督办: the reply step for the town's officers or the department's, due by policy and overdue
 * like any step; the reply (what was done, done by when) closes the notice.
 */
import { Case } from '../../workflows/case';
import { SUPERVISION, type SupervisionInput, type SupervisionReplyForm } from './contract';

export async function supervisionNotice(input: SupervisionInput): Promise<unknown> {
  const { target, items } = input;
  const unit = 'town' in target ? target.town : target.department;
  const kase = new Case<{ headName: string; unit: string; items: SupervisionInput['items']; requirement: string; sentBy: SupervisionInput['sentBy']; reply?: SupervisionReplyForm }>({
    processId: input.processId,
    type: SUPERVISION.type,
    subject: input.processId.split(':')[1] ?? input.processId,
    town: 'town' in target ? target.town : '',
    village: '',
    stage: 'reply',
    data: { headName: `督办：${unit}`, unit, items, requirement: input.requirement, sentBy: input.sentBy },
  });
  return kase.run(async () => {
    const def = 'town' in target ? SUPERVISION.steps.townReply : { ...SUPERVISION.steps.departmentReply, department: target.department };
    if ('department' in target) kase.involve(target.department);
    const about = items.map((i) => `${i.headName ? `${i.headName} ` : ''}${i.title}（${i.dueDate} 到期）`).join('；');
    kase.record('sent', `${input.sentBy.name}向${unit}发出督办，涉及 ${items.length} 项逾期事项：${about}。要求：${input.requirement}`, { actor: input.sentBy });
    const step = await kase.openStep<SupervisionReplyForm>(def, input.policy.reply, {
      context: { unit, requirement: input.requirement, items },
    });
    const { form, actor } = await kase.completion(step);
    kase.state.data.reply = form;
    kase.record('replied', `${unit}反馈督办：${form.measures}（${form.doneBy} 办结）`, { actor: { id: actor.id, name: actor.name } });
    return { status: 'completed', result: '已反馈 (replied)' };
  });
}

/**
 * 大病一事一议特殊救助决定书: the district's decision on a critical-illness relief case, handed to the
 * household once decided. It names the head of household and the patients (the letter is theirs),
 * the decision, each channel's amount and what was paid; never an ID number, a phone, a disease,
 * the settlements' medical details or the free-text reasons and opinions (they may name an illness).
 */
import type { CaseState } from '../../contracts/steps';
import { RELIEF_CHANNELS, type IllnessReliefData } from '../../processes/illness-relief/contract';
import { DISTRICT, yuan, zhDate, type PrintedDocument } from './layout';
import type { CaseDocument } from './document';

const TITLE = '大病一事一议特殊救助决定书';
const DECIDING = `${DISTRICT}乡村振兴局`;

const channelLabel = (c: string) => (RELIEF_CHANNELS as Record<string, { zh: string }>)[c]?.zh ?? c;

function build(state: CaseState): PrintedDocument {
  const data = state.data as unknown as IllnessReliefData;
  const decision = data.decision!;
  const granted = decision.decision === 'grant';
  const patients = [...new Set(data.settlements.filter((s) => !s.supersededBy).map((s) => `${s.patient.name}（${s.patient.relation}）`))];
  const rows: [string, string][] = [
    ['户主姓名', data.headName],
    ['所在村', `${state.town}${state.village}`],
    ...(patients.length ? [['患者', patients.join('、')] as [string, string]] : []),
    ['救助年度', `${data.year}年`],
    ...(data.verification ? [['核实的个人自付医疗费用', yuan(data.verification.verifiedOutOfPocket)] as [string, string]] : []),
    ['决定', granted ? '给予一事一议特殊救助' : '不予救助'],
    ...(granted ? (decision.channels ?? []).map((c): [string, string] => [channelLabel(c.channel), yuan(c.amount)]) : []),
    ...(granted ? [['救助金额合计', yuan(decision.total)] as [string, string]] : []),
  ];
  const paid = data.disbursements.map((d): [string, string] => [`${channelLabel(d.channel)}已发放`, `${yuan(d.amount)}（${zhDate(d.paidOn)}）`]);
  return {
    title: TITLE,
    place: `${state.town}${state.village}`,
    to: `${data.headName}户`,
    body: [
      {
        kind: 'paragraph',
        text: `经区医保局费用核实、${state.town}人民政府入户评估，区医保局、区卫生健康委、区民政局一事一议，于${zhDate(decision.heldOn)}对你户${data.year}年大病医疗费用作出如下决定：`,
      },
      { kind: 'fields', rows },
      ...(paid.length ? [{ kind: 'fields' as const, rows: paid }] : []),
      ...(granted ? [{ kind: 'paragraph' as const, text: '救助资金由各救助渠道的主管部门发放至你户账户，请注意查收。' }] : []),
    ],
    contact: `如对本决定有异议，可自收到本决定书之日起向${state.town}人民政府或${DECIDING}反映；如需咨询，请联系${state.village}村民委员会。`,
    issuer: DECIDING,
    date: decision.heldOn,
  };
}

/** Offered once the district has decided. */
export const reliefDecision: CaseDocument = {
  kind: 'reliefDecision',
  offers: (state) => (state.type === 'illnessRelief' && (state.data as unknown as IllnessReliefData).decision ? [{ title: TITLE }] : []),
  build,
};

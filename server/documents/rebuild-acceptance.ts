/**
 * 农村危房改造竣工验收及补助通知: a rebuilding case's passed acceptance and its subsidy (the grade's
 * amount, paid by 区财政局 through the "一卡通"), for the household and the village's notice board.
 * It names the head of household, the grade, the works, the acceptance and the subsidy; never an ID
 * number, a phone, a bank account, a voucher number or the appraisal's findings.
 */
import type { CaseState } from '../../contracts/steps';
import { APPRAISAL_GRADES } from '../../contracts/vocabulary';
import type { AcceptanceForm, HouseRebuildData } from '../../processes/house-rebuild/contract';
import { DISTRICT, yuan, zhDate, type PrintedDocument } from './layout';
import type { CaseDocument } from './document';
import type { Services } from '../services';
import { photoBlock, stepPhotos } from './photos';

const TITLE = '农村危房改造竣工验收及补助通知';
const HOUSING = `${DISTRICT}住房和城乡建设委员会`;

const passed = (data: HouseRebuildData): AcceptanceForm | undefined => data.acceptances.find((a) => a.result === 'pass');

async function build(state: CaseState, { services }: { services: Services }): Promise<PrintedDocument> {
  const data = state.data as unknown as HouseRebuildData;
  const acceptance = passed(data)!;
  const grade = data.appraisal?.grade;
  // The subsidy paid, or the grade's amount the open payment step will pay (its context, from the case's policy).
  const paying = state.steps.filter((s) => s.key === 'payment').at(-1)?.context as { amount?: number } | undefined;
  const amount = data.subsidy?.amount ?? paying?.amount;
  const works = data.method === 'rebuild' ? '拆除重建' : '加固改造';
  return {
    title: TITLE,
    place: `${state.town}${state.village}`,
    to: `${data.headName}户`,
    body: [
      { kind: 'paragraph', text: `你户住房经房屋安全鉴定后实施${works}，已于${zhDate(acceptance.inspectedOn)}通过竣工验收，住房安全有保障。现将验收及补助情况通知如下：` },
      {
        kind: 'fields',
        rows: [
          ['户主姓名', data.headName],
          ['所在村', `${state.town}${state.village}`],
          ...(grade ? [['鉴定等级', (APPRAISAL_GRADES as Record<string, { zh: string }>)[grade]?.zh ?? grade] as [string, string]] : []),
          ['改造方式', works],
          ['验收日期', zhDate(acceptance.inspectedOn)],
          ['验收结论', '合格'],
          ['验收人员', acceptance.inspectors],
          ...(amount !== undefined ? [['补助金额', `${yuan(amount)}${grade ? `（${grade}级危房补助标准）` : ''}`] as [string, string]] : []),
          ['发放情况', data.subsidy ? `已于${zhDate(data.subsidy.paidOn)}由区财政局通过“一卡通”发放` : '由区财政局通过“一卡通”发放至你户账户，请注意查收'],
        ],
      },
      // The site photos of the passed acceptance (the last acceptance step: a failed one was redone).
      ...(await photoBlock(services, '竣工验收现场照片', stepPhotos(state.steps.filter((s) => s.key === 'acceptance').slice(-1), ['acceptance'], '验收现场照片'))),
    ],
    contact: `如对验收结论或补助资金有疑问，请向${state.town}人民政府或区住房城乡建委咨询，也可向${state.village}村民委员会反映。`,
    issuer: HOUSING,
    date: data.subsidy?.paidOn ?? acceptance.inspectedOn,
  };
}

/** Offered once the works passed acceptance. */
export const rebuildAcceptance: CaseDocument = {
  kind: 'rebuildAcceptance',
  offers: (state) => (state.type === 'houseRebuild' && passed(state.data as unknown as HouseRebuildData) ? [{ title: TITLE }] : []),
  build,
};

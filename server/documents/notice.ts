/**
 * The public notice (公示) of a case that posts one (identification: inclusion in monitoring; helper
 * assignment: risk elimination, processes/*\/index.ts `notice`). It names the head of household, the
 * village, the monitoring category, the risk types and the notice period — never an ID number, a
 * phone, a bank account or health details (descriptions, findings, 因病/因残), whoever prints it
 * (server/privacy.ts PRIVACY.neverOnNotice).
 */
import { MONITORING_CATEGORIES, RISK_TYPES } from '../../contracts/vocabulary';
import type { CaseState } from '../../contracts/steps';
import { noticeOf } from '../../processes';
import { onNotice } from '../privacy';
import { documentText, shanghaiDate, zhDate, type PrintedDocument } from './layout';
import type { Services } from '../services';
import type { CaseDocument } from './document';
import { photoBlock, stepPhotos } from './photos';

/** The notice as `GET /api/processes/:id/notice` answers it in JSON. */
export interface Notice {
  processId: string;
  type: string;
  title: string;
  status: 'draft' | 'posted' | 'ended';
  householdHead: string;
  town: string;
  village: string;
  category?: { code: string; label: string };
  riskTypes: { code: string; label: string }[];
  period: { postedOn?: string; endedOn?: string; minimumDays?: number; location?: string };
  text: string;
}

const days = (duration: string | undefined) => {
  const m = duration ? /^P(\d+)D$/.exec(duration) : null;
  return m ? Number(m[1]) : undefined;
};

/** The notice and its page from the case's state: only the fields a notice may carry are read. */
export function buildNotice(state: CaseState, minimum: string | undefined): { notice: Notice; document: PrintedDocument } {
  const spec = noticeOf(state.type)!;
  const data = (state.data ?? {}) as { headName?: string; request?: { category?: string; riskTypes?: string[] }; category?: string; riskTypes?: string[] };
  const categoryCode = data.request?.category ?? data.category;
  // Health risk types (因病, 因残) are health details: a notice never prints them.
  const riskCodes = onNotice('riskTypes', data.request?.riskTypes ?? data.riskTypes ?? []);
  const current = state.steps.filter((s) => s.key === 'publicNotice').at(-1);
  const result = current?.status === 'done' ? (current.result as { postedOn?: string; endedOn?: string; location?: string } | undefined) : undefined;
  const period = {
    ...(result?.postedOn ? { postedOn: result.postedOn } : current ? { postedOn: shanghaiDate(current.openedAt) } : {}),
    ...(result?.endedOn ? { endedOn: result.endedOn } : {}),
    ...(days(minimum) ? { minimumDays: days(minimum) } : {}),
    ...(result?.location ? { location: result.location } : {}),
  };
  const category = categoryCode ? { code: categoryCode, label: (MONITORING_CATEGORIES as Record<string, { zh: string }>)[categoryCode]?.zh ?? categoryCode } : undefined;
  const riskTypes = riskCodes.map((c) => ({ code: c, label: (RISK_TYPES as Record<string, { zh: string }>)[c]?.zh ?? c }));
  const headName = data.headName ?? state.subject;
  const periodText = period.postedOn
    ? period.endedOn
      ? `${zhDate(period.postedOn)}至${zhDate(period.endedOn)}${period.minimumDays ? `（不少于${period.minimumDays}天）` : ''}`
      : `自${zhDate(period.postedOn)}起${period.minimumDays ? `不少于${period.minimumDays}天` : ''}`
    : `不少于${period.minimumDays ?? 5}天（日期待定）`;
  const document: PrintedDocument = {
    title: spec.title,
    place: `${state.town}${state.village}`,
    body: [
      { kind: 'paragraph', text: `根据防止返贫动态监测和帮扶工作有关规定，经入户核实、村级民主评议，${spec.proposal}，现予公示：` },
      {
        kind: 'fields',
        rows: [
          ['户主姓名', headName],
          ['所在村', `${state.town}${state.village}`],
          ...(category ? [['监测类型', category.label] as [string, string]] : []),
          ...(riskTypes.length ? [['风险类型', riskTypes.map((r) => r.label).join('、')] as [string, string]] : []),
          ['公示期', periodText],
          ...(period.location ? [['公示地点', period.location] as [string, string]] : []),
        ],
      },
    ],
    contact: `公示期间，如有异议，请向${state.village}村民委员会或${state.town}人民政府实名反映。`,
    issuer: `${state.town}${state.village}村民委员会`,
    ...(period.postedOn ? { date: period.postedOn } : {}),
  };
  const notice: Notice = {
    processId: state.processId,
    type: state.type,
    title: spec.title,
    status: !current ? 'draft' : current.status === 'done' ? 'ended' : 'posted',
    householdHead: headName,
    town: state.town,
    village: state.village,
    ...(category ? { category } : {}),
    riskTypes,
    period,
    text: documentText(document),
  };
  return { notice, document };
}

/** The notice minimum in force for the case's type (an ISO duration). */
export const noticeMinimum = (type: string, services: Services): string | undefined => noticeOf(type)?.minimum(services.policy());

/** The page with the photos of the posted notice (taken when it came down), after the fields. */
export async function withNoticePhotos(services: Services, state: CaseState, document: PrintedDocument): Promise<PrintedDocument> {
  const photos = await photoBlock(services, '公示现场照片', stepPhotos(state.steps, ['publicNotice'], '公示张贴照片'));
  return photos.length ? { ...document, body: [...document.body, ...photos] } : document;
}

/** Offered once the notice is up (or was). */
export const publicNotice: CaseDocument = {
  kind: 'notice',
  offers: (state) => {
    const spec = noticeOf(state.type);
    return spec && state.steps.some((s) => s.key === 'publicNotice') ? [{ title: spec.title }] : [];
  },
  build: (state, { services }) => withNoticePhotos(services, state, buildNotice(state, noticeMinimum(state.type, services)).document),
};

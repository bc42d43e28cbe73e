/**
 * 村问题清单: the problems the year's campaign found in one village (plan items 49–50), with the
 * department responsible for each fix, its deadline and where it stands, for the town to hand to the
 * village. Printed from a town's campaign case (`campaign:<year>:<town>`), one list per village, read
 * from the read model (rectification cases and their steps). It names the head of household and the
 * checklist item; never an ID number, a phone or the visit's notes (they may describe an illness).
 */
import type { CaseState } from '../../contracts/steps';
import { EvidenceFile, Process, Step } from '../../db';
import { containsCondition } from '../lists';
import { photoBlock, type PhotoPick } from './photos';
import { CHECKLIST_ITEMS } from '../../processes/campaign/contract';
import { RECTIFICATION } from '../../processes/rectification/contract';
import { shanghaiDate, zhDate, type PrintedDocument } from './layout';
import type { CaseDocument } from './document';
import type { Services } from '../services';

interface TownData {
  year: number;
  villages: { village: string; households: number }[];
  teams?: unknown[];
}

const title = (village: string) => `${village}大走访大排查问题清单`;

/** Where a problem stands, by its case's stage. */
const PROGRESS: Record<string, string> = {
  analysis: '待镇研判',
  fix: '整改中',
  recheck: '待镇复核',
  houseRebuild: '纳入农村危房改造',
  closed: '已销号',
};

/** A town's campaign case: a town, no village, its villages (the top campaign case has no town). */
const townData = (state: CaseState): TownData | undefined => {
  const data = state.data as unknown as TownData;
  return state.type === 'campaign' && state.town && !state.village && Array.isArray(data.villages) ? data : undefined;
};

async function build(state: CaseState, { services, village }: { services: Services; village?: string }): Promise<PrintedDocument> {
  const { year } = townData(state)!;
  const em = services.db.em();
  const problems = await em.find(
    Process,
    { type: RECTIFICATION.type, town: state.town, village: village!, id: { $like: `${RECTIFICATION.type}:${year}:%` } },
    { orderBy: { startedAt: 'asc', id: 'asc' } },
  );
  // The first fix step: its department, and the deadline the analysis set (a reopened fix keeps it).
  const fixes = problems.length ? await em.find(Step, { processId: { $in: problems.map((p) => p.id) }, stepId: 'fix-1' }) : [];
  const fixOf = new Map(fixes.map((s) => [s.processId, s]));
  const rows = problems.map((p, i) => {
    const item = p.id.slice(p.id.lastIndexOf(':') + 1);
    const fix = fixOf.get(p.id);
    const stage = p.status === 'completed' ? 'closed' : p.stage;
    return [
      String(i + 1),
      p.title,
      (CHECKLIST_ITEMS as Record<string, { zh: string }>)[item]?.zh ?? item,
      fix?.department ?? (stage === 'houseRebuild' ? '区住房城乡建委' : '待研判'),
      fix ? zhDate(fix.dueDate) : stage === 'houseRebuild' ? '按危房改造进度' : '待研判',
      p.status === 'running' || p.status === 'completed' ? (PROGRESS[stage] ?? stage) : '已终止',
    ];
  });
  // The fixes' evidence (整改佐证), under the problem's number in the list.
  const photos = await photoBlock(services, '整改佐证照片', await fixPhotos(services, problems));
  return {
    title: title(village!),
    place: `${state.town}${village}`,
    body: [
      { kind: 'paragraph', text: `${year}年度大走访、大排查中，${village}共发现问题${rows.length}个，由责任部门在整改时限内整改，镇人民政府复核后销号。清单如下：` },
      { kind: 'table', head: ['序号', '户主', '问题', '责任部门', '整改时限', '进度'], rows, empty: '本村暂未发现问题', wrap: 2 },
      ...photos,
    ],
    contact: `对清单所列问题或整改情况有意见的，请向${village}村民委员会或${state.town}人民政府反映。`,
    issuer: `${state.town}人民政府`,
    date: shanghaiDate(new Date().toISOString()),
  };
}

/** The files the problems' fix steps used, captioned with the problem's number and household (第1项 张三). */
async function fixPhotos(services: Services, problems: { id: string; title: string }[]): Promise<PhotoPick[]> {
  if (!problems.length) return [];
  const where = { $or: problems.map((p) => containsCondition('attached_to', `"${p.id}"`)) };
  const files = await services.db.em().find(EvidenceFile, where as never, { orderBy: { uploadedAt: 'asc', id: 'asc' } });
  return problems.flatMap((p, i) =>
    files.flatMap((f) => f.attachedTo.filter((a) => a.processId === p.id && a.stepKey === 'fix').slice(0, 1).map((a) => ({ ref: { id: f.id, field: a.field }, caption: `第${i + 1}项 ${p.title}` }))),
  );
}

/** One list per village of the town, once the visiting teams are formed. */
export const problemList: CaseDocument = {
  kind: 'problemList',
  offers: (state) => {
    const data = townData(state);
    return data?.teams ? data.villages.map((v) => ({ title: title(v.village), village: v.village })) : [];
  },
  build,
};

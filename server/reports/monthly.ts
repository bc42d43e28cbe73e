/**
 * 月度监测报表: the month's figures as the district is asked for them, one workbook over what the caller may
 * see (server/stats/): by town, by village, by monitoring category and by risk type, each with a total
 * row and the two rates; a first sheet says which month, which area, who made it and when, and what each
 * figure counts. The same figures as GET /api/stats/monitoring for that month.
 */
import type { EntityManager } from '../../db';
import type { Actor } from '../../contracts/roles';
import { t, type Lang, type Text } from '../../contracts/i18n';
import type { WorkingCalendar } from '../../calendar';
import { lastDayOfMonth, shanghaiDate, toShanghaiMinute } from '../../calendar/dates';
import type { XlsxCell, XlsxSheet } from '../export';
import { period, type GroupBy } from '../stats/query';
import { monitoringStats, type Figure, type StatsRow } from '../stats/monitoring';

/** Each figure as the report's column names it, and what it counts (the cover sheet). */
const FIGURES: { key: Figure; title: Text; counts: Text }[] = [
  { key: 'monitored', title: t('监测户（现）', 'Monitored (now)'), counts: t('制表时处于监测中的户数', 'households monitored when the report was made') },
  { key: 'includedInPeriod', title: t('本月新纳入', 'Included this month'), counts: t('本月纳入监测的户数（以最近一次纳入为准）', 'households included in monitoring in the month (latest inclusion)') },
  { key: 'eliminatedInPeriod', title: t('本月风险消除', 'Eliminated this month'), counts: t('本月风险消除的户数', 'households whose risk was eliminated in the month') },
  { key: 'eliminated', title: t('风险已消除（现）', 'Eliminated (now)'), counts: t('制表时风险已消除的户数', 'households whose risk is eliminated when the report was made') },
  { key: 'returnedInPeriod', title: t('本月返贫再纳入', 'Included again this month'), counts: t('风险消除后本月再次纳入监测的户数', 'households included again in the month after an elimination') },
  { key: 'helpersAssigned', title: t('本月落实帮扶人', 'Helpers named'), counts: t('本月落实帮扶人的户数', 'helpers named in the month') },
  { key: 'helpersAssignedOnTime', title: t('其中按时', 'Of which on time'), counts: t('其中在期限内落实的', 'of which by their deadline') },
  { key: 'visitsDue', title: t('应走访', 'Visits due'), counts: t('本月应完成的月度走访（已走访或已过期限）', "the month's monthly visits made or past their deadline") },
  { key: 'visitsDone', title: t('已走访', 'Visits made'), counts: t('其中已完成的走访', 'of which made') },
  { key: 'openSteps', title: t('待办环节（制表时）', 'Open steps (now)'), counts: t('制表时尚未办结的环节', 'steps open when the report was made') },
  { key: 'overdueSteps', title: t('逾期环节（制表时）', 'Overdue steps (now)'), counts: t('制表时已超过期限仍未办结的环节', 'open steps past their deadline when the report was made') },
];

const RATES = [
  { key: 'helpersOnTime', title: t('帮扶人按时落实率', 'Helpers on time'), of: ['helpersAssignedOnTime', 'helpersAssigned'] as const },
  { key: 'visitCompliance', title: t('走访完成率', 'Visit compliance'), of: ['visitsDone', 'visitsDue'] as const },
];

/** A household may have several risk types: that sheet has no total row. */
const SHEETS: { groupBy: GroupBy; name: Text; group: Text; total: boolean }[] = [
  { groupBy: 'town', name: t('各镇情况', 'By town'), group: t('镇', 'Town'), total: true },
  { groupBy: 'village', name: t('各村情况', 'By village'), group: t('村', 'Village'), total: true },
  { groupBy: 'category', name: t('按监测类型', 'By category'), group: t('监测类型', 'Category'), total: true },
  { groupBy: 'riskType', name: t('按风险类型', 'By risk type'), group: t('风险类型', 'Risk type'), total: false },
];

export const REPORT_NAME = t('月度监测报表', 'Monthly monitoring report');

/** 87.5% as people write it; '—' when nothing was due. */
const percent = (part: number, whole: number) => (whole ? `${((part / whole) * 100).toFixed(1)}%` : '—');

/** The month's period: its first day to its last, or to today for the month in progress. */
export function monthPeriod(month: string, today: string) {
  const from = `${month}-01`;
  const last = lastDayOfMonth(from);
  return { from, to: last < today ? last : today };
}

export async function monthlyReport(em: EntityManager, actor: Actor, month: string, calendar: WorkingCalendar, lang: Lang, now = new Date()): Promise<XlsxSheet[]> {
  const { from, to } = monthPeriod(month, shanghaiDate(now));
  const p = period(from, to);
  const district = actor.roles.includes('district_supervisor') || actor.roles.includes('admin');
  const area = district ? (lang === 'zh' ? '全区' : 'Whole district') : actor.roles.includes('town_officer') ? actor.town : actor.roles.includes('department_officer') ? actor.department : `${actor.town ?? ''}${actor.village ?? ''}`;
  const cover: XlsxSheet = {
    name: lang === 'zh' ? '说明' : 'About',
    columns: [
      { header: lang === 'zh' ? '项目' : 'Item', key: 'item', width: 24 },
      { header: lang === 'zh' ? '内容' : 'Value', key: 'value', width: 70 },
    ],
    rows: [
      { item: REPORT_NAME[lang], value: lang === 'zh' ? `${month.slice(0, 4)}年${Number(month.slice(5))}月` : month },
      { item: lang === 'zh' ? '统计期间' : 'Period', value: `${from} — ${to}` },
      { item: lang === 'zh' ? '范围' : 'Area', value: area },
      { item: lang === 'zh' ? '制表人' : 'Made by', value: actor.name },
      { item: lang === 'zh' ? '制表时间' : 'Made at', value: toShanghaiMinute(now) },
      ...FIGURES.map((f) => ({ item: f.title[lang], value: f.counts[lang] })),
    ],
  };
  const sheets = [cover];
  for (const s of SHEETS) {
    const rows = await monitoringStats(em, actor, s.groupBy, p, calendar, now);
    const total = Object.fromEntries(FIGURES.map((f) => [f.key, rows.reduce((n, r) => n + r[f.key], 0)])) as Record<Figure, number>;
    const line = (label: string, r: Record<Figure, number>): Record<string, XlsxCell> => ({
      group: label,
      ...Object.fromEntries(FIGURES.map((f) => [f.key, r[f.key]])),
      ...Object.fromEntries(RATES.map((rate) => [rate.key, percent(r[rate.of[0]], r[rate.of[1]])])),
    });
    sheets.push({
      name: s.name[lang],
      columns: [
        { header: s.group[lang], key: 'group', width: 22 },
        ...FIGURES.map((f) => ({ header: f.title[lang], key: f.key, width: 14 })),
        ...RATES.map((r) => ({ header: r.title[lang], key: r.key, width: 16 })),
      ],
      rows: [...rows.map((r: StatsRow) => line(r.label, r)), ...(s.total ? [line(lang === 'zh' ? '合计' : 'Total', total)] : [])],
    });
  }
  return sheets;
}

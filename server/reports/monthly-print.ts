/**
 * 月度监测汇总（打印）: the summary of the monthly report on one A4 page, in Chinese — the figures by town
 * (the xlsx's 各镇情况, the same numbers: server/stats/) with a total row, and a bar chart of monitored
 * households and overdue steps by town drawn as inline SVG (prints without scripts or images).
 */
import type { EntityManager } from '../../db';
import type { Actor } from '../../contracts/roles';
import type { WorkingCalendar } from '../../calendar';
import { shanghaiDate, toShanghaiMinute } from '../../calendar/dates';
import { period } from '../stats/query';
import { monitoringStats, type Figure } from '../stats/monitoring';
import { monthPeriod } from './monthly';
import { zhDate } from '../documents/layout';

const COLUMNS: { key: Figure; title: string }[] = [
  { key: 'monitored', title: '监测户（现）' },
  { key: 'includedInPeriod', title: '本月新纳入' },
  { key: 'eliminatedInPeriod', title: '本月风险消除' },
  { key: 'returnedInPeriod', title: '本月返贫再纳入' },
  { key: 'visitsDue', title: '应走访' },
  { key: 'visitsDone', title: '已走访' },
  { key: 'overdueSteps', title: '逾期环节（制表时）' },
];

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const number = (n: number) => n.toLocaleString('en-US');
const percent = (part: number, whole: number) => (whole ? `${((part / whole) * 100).toFixed(1)}%` : '—');

/** Horizontal bars per town: monitored households (blue) and overdue steps (red), each scaled to its own largest. */
function chart(rows: { label: string; monitored: number; overdueSteps: number }[]): string {
  const rowHeight = 26;
  const [labelWidth, barWidth] = [90, 230];
  const width = labelWidth + 2 * (barWidth + 60);
  const height = 30 + rows.length * rowHeight;
  const maxOf = (k: 'monitored' | 'overdueSteps') => Math.max(1, ...rows.map((r) => r[k]));
  const bars = rows
    .map((r, i) => {
      const y = 28 + i * rowHeight;
      const bar = (k: 'monitored' | 'overdueSteps', x: number, color: string) => {
        const w = Math.round((r[k] / maxOf(k)) * barWidth);
        return `<rect x="${x}" y="${y}" width="${w}" height="16" fill="${color}"/><text x="${x + w + 4}" y="${y + 13}" font-size="12">${number(r[k])}</text>`;
      };
      return `<text x="${labelWidth - 6}" y="${y + 13}" font-size="12" text-anchor="end">${escapeHtml(r.label)}</text>${bar('monitored', labelWidth, '#1565c0')}${bar('overdueSteps', labelWidth + barWidth + 60, '#c62828')}`;
    })
    .join('');
  const heads = `<text x="${labelWidth}" y="16" font-size="13" font-weight="bold">监测户（户）</text><text x="${labelWidth + barWidth + 60}" y="16" font-size="13" font-weight="bold">逾期环节（个）</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="各镇监测户与逾期环节" viewBox="0 0 ${width} ${height}" width="100%">${heads}${bars}</svg>`;
}

const STYLE = `
@page { size: A4; margin: 1.6cm 1.8cm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; font-size: 12pt; color: #000; margin: 0 auto; max-width: 19cm; padding: 12px; }
h1 { font-size: 20pt; text-align: center; margin: 0 0 4px; }
.meta { text-align: center; margin: 0 0 12px; }
table { width: 100%; border-collapse: collapse; font-size: 10.5pt; margin: 8px 0 14px; }
th, td { border: 1px solid #000; padding: 3px 5px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #eee; }
tr.total td { font-weight: bold; }
.note { font-size: 10pt; color: #333; }
@media print { .noprint { display: none; } }
`;

export async function monthlySummaryHtml(em: EntityManager, actor: Actor, month: string, calendar: WorkingCalendar, now = new Date()): Promise<string> {
  const { from, to } = monthPeriod(month, shanghaiDate(now));
  const rows = await monitoringStats(em, actor, 'town', period(from, to), calendar, now);
  const district = actor.roles.includes('district_supervisor') || actor.roles.includes('admin');
  const area = district ? '全区' : (actor.roles.includes('department_officer') ? actor.department : actor.town) ?? '';
  const total = Object.fromEntries(COLUMNS.map((c) => [c.key, rows.reduce((n, r) => n + r[c.key], 0)])) as Record<Figure, number>;
  const line = (label: string, r: Record<Figure, number>, cls = '') =>
    `<tr${cls ? ` class="${cls}"` : ''}><td>${escapeHtml(label)}</td>${COLUMNS.map((c) => `<td>${number(r[c.key])}</td>`).join('')}<td>${percent(r.visitsDone, r.visitsDue)}</td></tr>`;
  const title = `${Number(month.slice(0, 4))}年${Number(month.slice(5))}月防止返贫监测汇总`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(area)} · 统计期间 ${zhDate(from)}至${zhDate(to)} · 制表 ${escapeHtml(actor.name)} ${toShanghaiMinute(now)}</p>
<table>
<thead><tr><th>镇</th>${COLUMNS.map((c) => `<th>${c.title}</th>`).join('')}<th>走访完成率</th></tr></thead>
<tbody>${rows.map((r) => line(r.label, r)).join('')}${line('合计', total, 'total')}</tbody>
</table>
${chart(rows.map((r) => ({ label: r.label, monitored: r.monitored, overdueSteps: r.overdueSteps })))}
<p class="note">口径与月度监测报表（Excel）相同：监测户、逾期环节为制表时的数；走访完成率 = 已走访 ÷ 应走访（本月已走访或已过期限的月度走访）。</p>
</body></html>`;
}

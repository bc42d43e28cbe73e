/**
 * The one A4 page every printed document shares: large type, the village's or town's name under the
 * title, the body, whom to contact or how to object, and the issuer with the date. A document is data
 * (PrintedDocument); this file alone turns it into a printable page or into plain text.
 */
/** A line of a document's body. */
export type Block =
  | { kind: 'paragraph'; text: string }
  /** Label → value lines (户主姓名：…). */
  | { kind: 'fields'; rows: [string, string][] }
  /** `wrap`: the one column whose long texts wrap (the others keep to one line). */
  | { kind: 'table'; head: string[]; rows: string[][]; empty: string; wrap?: number }
  /** Photos of the case's evidence (server/documents/photos.ts): re-encoded thumbnails as `data:` URIs, without EXIF. */
  | { kind: 'photos'; heading: string; photos: { src: string; caption: string }[] };

export interface PrintedDocument {
  title: string;
  /** The place in large type under the title (统景镇荣光村, or 统景镇). */
  place: string;
  /** To whom it is addressed (a decision letter: the household), above the body. */
  to?: string;
  body: Block[];
  /** How to object, or whom to contact. */
  contact: string;
  /** Who issues it (signature line) and when (YYYY-MM-DD). */
  issuer: string;
  date?: string;
}

/** The district whose departments issue letters (重庆市渝北区). */
export const DISTRICT = '渝北区';

/** 2026年12月4日. */
export const zhDate = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
/** The Asia/Shanghai calendar day of an instant. */
export const shanghaiDate = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
/** ¥12,345.00. */
export function yuan(amount: number): string {
  const f = Math.round(amount * 100);
  const whole = Math.floor(Math.abs(f) / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${f < 0 ? '-' : ''}¥${whole}.${String(Math.abs(f) % 100).padStart(2, '0')}`;
}
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The document as plain text, one line per paragraph or field (the JSON notice's `text`). */
export function documentText(doc: PrintedDocument): string {
  const body = doc.body.flatMap((b): string[] => {
    switch (b.kind) {
      case 'paragraph':
        return [b.text, ''];
      case 'fields':
        return [...b.rows.map(([k, v]) => `${k}：${v}`), ''];
      case 'table':
        return [b.head.join('\t'), ...(b.rows.length ? b.rows.map((r) => r.join('\t')) : [b.empty]), ''];
      case 'photos':
        return [`${b.heading}：${b.photos.map((p) => p.caption).join('、')}`, ''];
    }
  });
  return [doc.title, '', ...(doc.to ? [`${doc.to}：`, ''] : []), ...body, doc.contact, '', doc.issuer, ...(doc.date ? [zhDate(doc.date)] : [])].join('\n');
}

const STYLE = `
@page { size: A4; margin: 2cm 2.2cm; }
* { box-sizing: border-box; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif; font-size: 16pt; line-height: 1.9; color: #000; max-width: 40em; margin: 2em auto; padding: 0 1em; }
h1 { text-align: center; font-size: 24pt; margin: 0 0 0.2em; letter-spacing: 0.1em; }
.place { text-align: center; font-size: 18pt; margin: 0 0 1.2em; }
.to { margin: 0 0 0.5em; }
p { margin: 0 0 0.6em; text-indent: 2em; }
dl { margin: 0 0 0.8em 2em; }
dl div { display: flex; }
dt { white-space: nowrap; }
dt::after { content: "："; }
dd { margin: 0; }
table { width: 100%; border-collapse: collapse; font-size: 13pt; line-height: 1.5; margin: 0 0 1em; }
th, td { border: 1px solid #000; padding: 0.3em 0.4em; text-align: left; vertical-align: top; white-space: nowrap; }
td.wrap { white-space: normal; }
th { background: #eee; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.photos { margin: 0 0 1em; break-inside: avoid; }
.photos h2 { font-size: 16pt; margin: 0 0 0.4em; }
.photos div { display: flex; flex-wrap: wrap; gap: 0.6em; }
figure { margin: 0; width: 48%; break-inside: avoid; }
figure img { width: 100%; height: auto; border: 1px solid #000; }
figcaption { font-size: 12pt; line-height: 1.4; text-align: center; }
.contact { margin-top: 1em; }
.issuer { text-align: right; margin: 2em 0 0; text-indent: 0; }
.date { text-align: right; text-indent: 0; }
@media print { body { margin: 0; padding: 0; max-width: none; } }
`;

function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'fields':
      return `<dl>${b.rows.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd></div>`).join('')}</dl>`;
    case 'table': {
      const head = `<thead><tr>${b.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
      const rows = b.rows.length
        ? b.rows.map((r) => `<tr>${r.map((c, i) => `<td${i === b.wrap ? ' class="wrap"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n')
        : `<tr><td colspan="${b.head.length}">${escapeHtml(b.empty)}</td></tr>`;
      return `<table>${head}<tbody>${rows}</tbody></table>`;
    }
    case 'photos': {
      const figures = b.photos.map((p) => `<figure><img src="${escapeHtml(p.src)}" alt="${escapeHtml(p.caption)}"><figcaption>${escapeHtml(p.caption)}</figcaption></figure>`).join('');
      return `<section class="photos"><h2>${escapeHtml(b.heading)}</h2><div>${figures}</div></section>`;
    }
  }
}

/** The printable A4 page. */
export function documentHtml(doc: PrintedDocument): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(doc.title)}</title>
<style>${STYLE}</style>
</head><body>
<h1>${escapeHtml(doc.title)}</h1>
<div class="place">${escapeHtml(doc.place)}</div>
${doc.to ? `<div class="to">${escapeHtml(doc.to)}：</div>` : ''}
${doc.body.map(blockHtml).join('\n')}
<p class="contact">${escapeHtml(doc.contact)}</p>
<p class="issuer">${escapeHtml(doc.issuer)}</p>
${doc.date ? `<p class="date">${escapeHtml(zhDate(doc.date))}</p>` : ''}
</body></html>`;
}

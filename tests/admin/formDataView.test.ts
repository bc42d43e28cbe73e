/**
 * A case's data as people read it (admin/src/forms/FormDataView.tsx): coded values by their schema
 * titles, 是/否, money as ¥80,000.00, times in Beijing time, lists as text, objects as titled pairs.
 */
import { describe, expect, it } from 'vitest';
import type { RJSFSchema } from '@rjsf/utils';
import { formatValue } from '../../admin/src/forms/FormDataView';

const schema: { properties: Record<string, RJSFSchema> } = {
  properties: {
    grade: { type: 'string', oneOf: [{ const: 'D', title: 'D级危房' }] },
    onlyHouse: { type: 'boolean', title: '唯一住房' },
    subsidy: { type: 'number', title: '补助金额（元）' },
    memberCount: { type: 'integer', title: '家庭人口' },
    lowIncome: { type: 'array', items: { type: 'string', oneOf: [{ const: 'subsistence_allowance', title: '低保户' }, { const: 'extremely_poor', title: '特困人员' }] } },
    totals: { type: 'object', title: '费用合计', properties: { totalCost: { type: 'number', title: '总费用' }, selfPaid: { type: 'number', title: '自付（元）' } } },
  },
};
const p = schema.properties;

describe('formatValue', () => {
  it('writes every value as a person reads it', () => {
    expect(formatValue(p.grade, 'D')).toBe('D级危房');
    expect(formatValue(p.onlyHouse, true)).toBe('是');
    expect(formatValue(p.onlyHouse, false)).toBe('否');
    expect(formatValue(p.subsidy, 80000, undefined, 'subsidy')).toBe('¥80,000.00');
    expect(formatValue(p.memberCount, 4, undefined, 'memberCount')).toBe('4');
    expect(formatValue(p.lowIncome, ['subsistence_allowance', 'extremely_poor'])).toBe('低保户、特困人员');
    expect(formatValue(p.totals as never, { totalCost: 80000, selfPaid: 1234.5 })).toBe('总费用：¥80,000.00；自付（元）：¥1,234.50');
    expect(formatValue(undefined, '2026-12-04T07:30:00.000Z')).toBe('2026-12-04 15:30');
    // A step's context without a schema (illness relief's totals and threshold): labels from the console's words, money as money.
    const label = (k: string) => ({ totalCost: '医疗总费用', outOfPocket: '个人自付', paidByBasicInsurance: '基本医保报销' })[k] ?? k;
    const words = { separator: '、', yes: '是', no: '否', label };
    expect(formatValue(undefined, { totalCost: 80000, paidByBasicInsurance: 48000, outOfPocket: 12000 }, words)).toBe('医疗总费用：¥80,000.00；基本医保报销：¥48,000.00；个人自付：¥12,000.00');
    expect(formatValue(undefined, 10000, words, 'threshold')).toBe('¥10,000.00');
    expect(formatValue(undefined, '2026-12-04')).toBe('2026-12-04');
  });

  it('leaves nothing for empty values (the page shows —), and uses the words given', () => {
    expect(formatValue(p.lowIncome, [])).toBe('');
    expect(formatValue(undefined, null)).toBe('');
    expect(formatValue(p.onlyHouse, true, { separator: ', ', yes: 'Yes', no: 'No' })).toBe('Yes');
    const text = formatValue(schema as never, { onlyHouse: true, totals: { totalCost: 80000 }, lowIncome: [] });
    expect(text).not.toMatch(/\{"|true|false|\[\]/);
  });

  it('labels keys no schema titles (a step\'s context) with the words given', () => {
    const label = (k: string) => ({ totalCost: '总费用', lowIncome: '低收入群体' })[k];
    expect(formatValue(undefined, { totalCost: 80000, lowIncome: [] }, { separator: '、', yes: '是', no: '否', label })).toBe('总费用：¥80,000.00');
  });
});

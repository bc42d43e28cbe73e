/** The lines an administrator types or pastes from the holiday notice, read into the schedule the API takes. */
import { describe, expect, it } from 'vitest';
import { entryText, parseEntry } from '../../admin/src/calendar/entry';

describe('a year entered as lines', () => {
  it('expands a range of days off under its holiday, and reads make-up workdays with or without a name', () => {
    const { entry, problems } = parseEntry('2027-02-06..2027-02-08 春节\n\n2027-04-05，清明节', '2027-02-14 春节\n2027-02-20', ' 国办发明电〔2026〕7号 ');
    expect(problems).toEqual({ holidays: [], workdays: [] });
    expect(entry).toEqual({
      source: '国办发明电〔2026〕7号',
      holidays: [
        { date: '2027-02-06', name: '春节' },
        { date: '2027-02-07', name: '春节' },
        { date: '2027-02-08', name: '春节' },
        { date: '2027-04-05', name: '清明节' },
      ],
      workdays: [{ date: '2027-02-14', name: '春节' }, { date: '2027-02-20' }],
    });
  });

  it('names the lines it cannot read (no holiday name, not a date, a range backwards or over a month)', () => {
    const { problems } = parseEntry('2027-01-01\n2027/10/01 国庆节\n2027-10-07..2027-10-01 国庆节\n2027-01-01..2027-03-01 寒假\n2027-02-30 春节', '明天', '');
    expect(problems).toEqual({ holidays: [1, 2, 3, 4, 5], workdays: [1] });
  });

  it('writes a schedule back as the same lines, consecutive days of a holiday as one range', () => {
    const text = entryText(
      [
        { date: '2027-01-01', name: '元旦' },
        { date: '2027-02-06', name: '春节' },
        { date: '2027-02-07', name: '春节' },
      ],
      [{ date: '2027-02-14', name: '春节' }],
    );
    expect(text).toEqual({ holidays: '2027-01-01 元旦\n2027-02-06..2027-02-07 春节', workdays: '2027-02-14 春节' });
    expect(parseEntry(text.holidays, text.workdays, '').entry.holidays).toHaveLength(3);
  });
});

import { describe, expect, it } from 'vitest';
import { idCheckChar, maskIdNumber, validateIdNumber } from '../server/validation/id-number';
import { maskPhone, validatePhone } from '../server/validation/phone';
import { personalFields } from '../server/privacy';
import { DEMO_HOUSEHOLDS } from '../server/demo-data';

const TODAY = '2026-06-01';

describe('居民身份证号 (GB 11643)', () => {
  it('accepts the standard sample number and computes its check character', () => {
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(validateIdNumber('11010519491231002X', TODAY)).toEqual({ ok: true, value: '11010519491231002X', birthDate: '1949-12-31' });
  });

  it('normalises a lower-case x and surrounding spaces', () => {
    expect(validateIdNumber(' 11010519491231002x ', TODAY)).toMatchObject({ ok: true, value: '11010519491231002X' });
  });

  it('accepts every demo household (area code 500112, valid check digit)', () => {
    for (const h of DEMO_HOUSEHOLDS) {
      expect(h.idNumber.startsWith('500112'), h.id).toBe(true);
      expect(validateIdNumber(h.idNumber, TODAY).ok, h.id).toBe(true);
    }
  });

  it('refuses a wrong check digit, naming the rule and the expected character', () => {
    const r = validateIdNumber('110105194912310021', TODAY);
    expect(r).toMatchObject({ ok: false, rule: 'checkDigit' });
    expect(!r.ok && r.message).toContain('X');
  });

  it('checks the weights on every position: changing any one digit breaks the check', () => {
    const good = '500112198804231644';
    for (let i = 0; i < 17; i++) {
      const d = (Number(good[i]) + 1) % 10;
      const bad = good.slice(0, i) + d + good.slice(i + 1);
      const r = validateIdNumber(bad, TODAY);
      expect(r.ok, bad).toBe(false);
    }
  });

  it.each([
    ['', 'format'],
    ['50011219880423164', 'format'], // 17 characters
    ['5001121988042316444', 'format'], // 19 characters
    ['50011219880423164A', 'format'],
    ['A00112198804231644', 'format'],
    ['000112198804231644', 'region'],
  ])('refuses %j (%s)', (input, rule) => {
    expect(validateIdNumber(input, TODAY)).toMatchObject({ ok: false, rule });
  });

  it('refuses impossible or future birth dates even with a correct check digit', () => {
    const withCheck = (first17: string) => first17 + idCheckChar(first17);
    expect(validateIdNumber(withCheck('50011219900230123'), TODAY)).toMatchObject({ ok: false, rule: 'birthDate' }); // 30 February
    expect(validateIdNumber(withCheck('50011219901301123'), TODAY)).toMatchObject({ ok: false, rule: 'birthDate' }); // month 13
    expect(validateIdNumber(withCheck('50011218991231123'), TODAY)).toMatchObject({ ok: false, rule: 'birthDate' }); // before 1900
    expect(validateIdNumber(withCheck('50011220300101123'), TODAY)).toMatchObject({ ok: false, rule: 'birthDate' }); // future
    expect(validateIdNumber(withCheck('50011220000229123'), TODAY)).toMatchObject({ ok: true, birthDate: '2000-02-29' }); // leap day
  });

  it('masks all but the first 6 and last 4 characters', () => {
    expect(maskIdNumber('500112198804231644')).toBe('500112********1644');
    expect(maskIdNumber('50011219580312101X')).toBe('500112********101X');
  });
});

describe('phone numbers', () => {
  it.each(['13800138000', '19912345678', '023-67881234', '02367881234', '0755-1234567'])('accepts %s', (p) => {
    expect(validatePhone(p)).toEqual({ ok: true, value: p });
  });
  it.each(['12345678901', '1380013800', '138001380000', '23-67881234', '023-123456', 'abc', '+8613800138000'])('refuses %s', (p) => {
    expect(validatePhone(p)).toMatchObject({ ok: false, rule: 'format' });
  });
  it('masks the middle', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('023-67881234')).toBe('023*****1234');
  });
});

describe('who sees ID numbers', () => {
  const place = { town: '统景镇', village: '荣光村' };
  const cadre = { roles: ['village_cadre' as const], town: '统景镇', village: '荣光村' };
  const seesIdNumber = (actor: Parameters<typeof personalFields>[0]) => !personalFields(actor, { ...place, idNumber: '500112198804231644' }).idNumberMasked;
  it("the area's cadre and town officer, the supervisor and admins", () => {
    expect(seesIdNumber(cadre)).toBe(true);
    expect(seesIdNumber({ roles: ['town_officer'], town: '统景镇' })).toBe(true);
    expect(seesIdNumber({ roles: ['district_supervisor'] })).toBe(true);
    expect(seesIdNumber({ roles: ['admin'] })).toBe(true);
  });
  it('not a department officer, nor a cadre or officer of another area', () => {
    expect(seesIdNumber({ roles: ['department_officer'] })).toBe(false);
    expect(seesIdNumber({ ...cadre, village: '印盒村' })).toBe(false);
    expect(seesIdNumber({ roles: ['town_officer'], town: '古路镇' })).toBe(false);
  });
  it('masks ID number and phone together', () => {
    const row = { ...place, idNumber: '500112198804231644', phone: '13812345678' };
    expect(personalFields({ roles: ['department_officer'] }, row)).toEqual({ idNumber: '500112********1644', phone: '138****5678', idNumberMasked: true });
    expect(personalFields(cadre, row)).toEqual({ idNumber: '500112198804231644', phone: '13812345678', idNumberMasked: false });
  });
});

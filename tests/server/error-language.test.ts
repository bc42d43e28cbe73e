/**
 * Error messages in the caller's language (server/error-language.ts): the Chinese sentence alone by
 * default, the English gloss with `Accept-Language: en`; allowed values kept in either; a message with
 * no gloss, or an English one, as it is.
 */
import { describe, expect, it } from 'vitest';
import { messageIn } from '../../server/error-language';

describe('messageIn', () => {
  it('answers the Chinese sentence without its English gloss, or the gloss in English', () => {
    const m = '核实日期不能晚于今天 (the verification date cannot be in the future)';
    expect(messageIn(m, 'zh')).toBe('核实日期不能晚于今天');
    expect(messageIn(m, 'en')).toBe('the verification date cannot be in the future');
  });

  it('keeps the field a sentence names, and each sentence of several fields', () => {
    const m = 'memberCount: 须为正整数 (must be a positive integer); phone: 手机号格式不正确 (not a mobile number (11 digits))';
    expect(messageIn(m, 'zh')).toBe('memberCount: 须为正整数; phone: 手机号格式不正确');
    expect(messageIn(m, 'en')).toBe('memberCount: must be a positive integer; phone: not a mobile number (11 digits)');
  });

  it('keeps a gloss whole that holds a semicolon', () => {
    const m = '登录失败次数过多，账号已锁定，请 1 分钟后再试 (too many failed logins: the account is locked; try again in 1 minutes)';
    expect(messageIn(m, 'zh')).toBe('登录失败次数过多，账号已锁定，请 1 分钟后再试');
    expect(messageIn(m, 'en')).toBe('too many failed logins: the account is locked; try again in 1 minutes');
  });

  it('drops every gloss of a message composed of clauses', () => {
    const m = '流程 p-1 不存在 (no such process)；已存为死信 d-1，原因排除后可由管理员重放 (kept as dead letter d-1; an administrator can replay it once the cause is fixed)';
    expect(messageIn(m, 'zh')).toBe('流程 p-1 不存在；已存为死信 d-1，原因排除后可由管理员重放');
    expect(messageIn(m, 'en')).toBe('no such process; kept as dead letter d-1; an administrator can replay it once the cause is fixed');
  });

  it('keeps the allowed values, in the language’s brackets', () => {
    const m = '不能按此条件筛选 (allowed: q, status, town)';
    expect(messageIn(m, 'zh')).toBe('不能按此条件筛选（可选：q, status, town）');
    expect(messageIn(m, 'en')).toBe('不能按此条件筛选 (allowed: q, status, town)');
  });

  it('leaves a message without a gloss, or an English one, as it is', () => {
    expect(messageIn('公示期不少于 5 天（含周末）', 'zh')).toBe('公示期不少于 5 天（含周末）');
    expect(messageIn('must be a JSON object', 'zh')).toBe('must be a JSON object');
    expect(messageIn('同行核实人须为本村村干部 (the co-verifier must be a village cadre of 荣光村)', 'zh')).toBe('同行核实人须为本村村干部');
  });
});

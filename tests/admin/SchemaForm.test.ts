// @vitest-environment jsdom
/**
 * The generated forms in a DOM: a catalogue schema renders with its Chinese titles and choices, the
 * co-verifier picker lists the village's other cadres, empty required fields are refused in Chinese
 * before anything is sent, and the API's refusals land on the right field (400) or the form (422).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createElement } from 'react';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { AdminContext, HttpError, testDataProvider } from 'react-admin';
import type { RJSFSchema } from '@rjsf/utils';
import { CATALOGUE } from '../../processes';
import { localizeSchema } from '../../contracts/schemas/common';
import { SchemaForm, type SchemaFormProps } from '../../admin/src/forms/SchemaForm';
import { i18nProvider } from '../../admin/src/i18n';
import { normalizeError } from '../../admin/src/api/http';

const identification = CATALOGUE.find((p) => p.type === 'identification')!;
const form = (key: string) => localizeSchema(identification.steps.find((s) => s.key === key)!.form, 'zh') as RJSFSchema;

const USERS = [
  { id: 'cadre.rongguang', name: '李明华', username: 'cadre.rongguang', roles: ['village_cadre'], town: '统景镇', village: '荣光村', department: null, active: true },
  { id: 'cadre.rongguang2', name: '张晓燕', username: 'cadre.rongguang2', roles: ['village_cadre'], town: '统景镇', village: '荣光村', department: null, active: true },
];

const dataProvider = testDataProvider({
  getList: (async (resource: string) => (resource === 'users' ? { data: USERS, total: USERS.length } : { data: [], total: 0 })) as never,
  getOne: (async () => ({ data: { id: 'x' } })) as never,
});

function renderForm(props: Partial<SchemaFormProps> & Pick<SchemaFormProps, 'schema'>) {
  const onSubmit = props.onSubmit ?? vi.fn(async () => ({}));
  render(
    createElement(
      AdminContext,
      { dataProvider, i18nProvider },
      createElement(SchemaForm, { context: { town: '统景镇', village: '荣光村', actorId: 'cadre.rongguang' }, ...props, onSubmit }),
    ),
  );
  return onSubmit;
}

const apiError = (status: number, error: Record<string, unknown>) => normalizeError(new HttpError('x', status, { error }));

beforeAll(async () => {
  await i18nProvider.changeLocale('zh');
});
afterEach(cleanup);

describe('SchemaForm', () => {
  it('renders the Chinese titles and choices of a step form', async () => {
    renderForm({ schema: form('homeVerification') });
    expect(screen.getByLabelText(/核实日期/)).toBeTruthy();
    expect(screen.getByText('“两不愁三保障”及饮水安全')).toBeTruthy();
    expect(screen.getAllByLabelText('有保障')).toHaveLength(5);
    expect(screen.getByRole('button', { name: '提交' })).toBeTruthy();
  });

  it("lists the village's other cadres as co-verifiers", async () => {
    renderForm({ schema: form('homeVerification') });
    const select = (await screen.findByLabelText(/同行核实人/)) as HTMLSelectElement;
    await waitFor(() => expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['请选择', '张晓燕']));
  });

  it('refuses empty required fields in Chinese without calling the API', async () => {
    const onSubmit = renderForm({ schema: form('villageReview') });
    fireEvent.click(screen.getByRole('button', { name: '提交' }));
    await waitFor(() => expect(screen.getAllByText('必填').length).toBeGreaterThanOrEqual(4));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('takes a date as people write it and sends it as YYYY-MM-DD; no browser date mask', async () => {
    const onSubmit = renderForm({ schema: form('villageReview'), initialData: { participants: 12, result: 'pass', minutes: '村民代表一致同意' } });
    const heldOn = screen.getByLabelText(/评议日期/) as HTMLInputElement;
    expect(heldOn.type).toBe('text');
    expect(heldOn.placeholder).toBe('如 2026-12-04');
    fireEvent.change(heldOn, { target: { value: '2026年3月1日' } });
    fireEvent.blur(heldOn);
    expect(heldOn.value).toBe('2026-03-01');
    fireEvent.click(screen.getByRole('button', { name: '提交' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(vi.mocked(onSubmit).mock.calls[0][0]).toMatchObject({ heldOn: '2026-03-01' });
  });

  it('refuses a date the calendar does not have, in Chinese, under the field', async () => {
    const onSubmit = renderForm({ schema: form('villageReview'), initialData: { participants: 12, result: 'pass', minutes: '村民代表一致同意' } });
    const heldOn = screen.getByLabelText(/评议日期/) as HTMLInputElement;
    fireEvent.change(heldOn, { target: { value: '2026-02-30' } });
    fireEvent.click(screen.getByRole('button', { name: '提交' }));
    await waitFor(() => expect(document.getElementById('root_heldOn__error')?.textContent).toContain('请输入日期，如 2026-12-04'));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("shows the API's 400 field error under that field", async () => {
    const onSubmit = vi.fn(async () => {
      throw apiError(400, { code: 'invalid_request', message: 'minutes: too short', details: [{ field: 'minutes', rule: 'minLength', message: '评议记录过短' }] });
    });
    renderForm({
      schema: form('villageReview'),
      initialData: { heldOn: '2026-03-01', participants: 12, result: 'pass', minutes: '同意' },
      onSubmit,
    });
    fireEvent.click(screen.getByRole('button', { name: '提交' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    await screen.findByText('评议记录过短');
    // rjsf's error element of the minutes field (`<id>__error`), not another field's
    expect(document.getElementById('root_minutes__error')?.textContent).toContain('评议记录过短');
    expect(document.getElementById('root_heldOn__error')).toBeNull();
    expect(screen.getByTestId('form-failure').textContent).toContain('请更正标出的字段');
  });

  it('shows a 422 rule refusal on the form with its message', async () => {
    const onSubmit = vi.fn(async () => {
      throw apiError(422, { code: 'rule_violation', message: '核实日期不能晚于今天 (the verification date cannot be in the future)', details: [] });
    });
    renderForm({ schema: form('villageReview'), initialData: { heldOn: '2099-01-01', participants: 3, result: 'pass', minutes: '记录' }, onSubmit });
    fireEvent.click(screen.getByRole('button', { name: '提交' }));
    const alert = await screen.findByTestId('form-failure');
    expect(alert.textContent).toContain('业务规则不允许');
    expect(alert.textContent).toContain('核实日期不能晚于今天');
  });

  it('submits valid data once and reports success', async () => {
    const onSuccess = vi.fn();
    const onSubmit = renderForm({
      schema: form('townReview'),
      initialData: { decision: 'approve' },
      onSuccess,
    });
    fireEvent.click(screen.getByRole('button', { name: '提交' }));
    await waitFor(() => expect(onSuccess).toHaveBeenCalledTimes(1));
    expect(onSubmit).toHaveBeenCalledWith({ decision: 'approve' });
  });
});

// @vitest-environment jsdom
/**
 * The campaign visit form in the console asks about each student the step lists, in Chinese: the
 * form starts with one answer per student (names from the step's context), each with 在校情况
 * (正常在校 / 辍学 / 休学) and 享受教育资助 (是 / 否).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { cleanup, render, screen } from '@testing-library/react';
import { AdminContext, testDataProvider } from 'react-admin';
import type { RJSFSchema } from '@rjsf/utils';
import { CATALOGUE } from '../../processes';
import { localizeSchema } from '../../contracts/schemas/common';
import { SchemaForm } from '../../admin/src/forms/SchemaForm';
import { prefillFromContext } from '../../admin/src/forms/prefill';
import { i18nProvider } from '../../admin/src/i18n';

const campaign = CATALOGUE.find((p) => p.type === 'campaign')!;
const visitForm = localizeSchema(campaign.steps.find((s) => s.key === 'campaignVisit')!.form, 'zh') as RJSFSchema;

beforeAll(async () => {
  await i18nProvider.changeLocale('zh');
});
afterEach(cleanup);

describe('the campaign visit form asks about each student', () => {
  it('starts with one answer per listed student, and none for a household without students', () => {
    expect(prefillFromContext(visitForm, { team: [], year: 2026, students: ['印小明', '印小红'] })).toEqual({ students: [{ name: '印小明' }, { name: '印小红' }] });
    expect(prefillFromContext(visitForm, { team: [], year: 2026 })).toBeUndefined();
  });

  it('shows each student with the questions in Chinese', () => {
    render(
      createElement(
        AdminContext,
        { dataProvider: testDataProvider(), i18nProvider },
        createElement(SchemaForm, { schema: visitForm, initialData: prefillFromContext(visitForm, { students: ['印小明', '印小红'] }), onSubmit: async () => ({}) }),
      ),
    );
    expect(screen.getByText('在校学生情况（每名学生一项）')).toBeTruthy();
    expect(screen.getByDisplayValue('印小明')).toBeTruthy();
    expect(screen.getByDisplayValue('印小红')).toBeTruthy();
    expect(screen.getAllByText('在校情况')).toHaveLength(2);
    expect(screen.getAllByText('享受教育资助')).toHaveLength(2);
    for (const choice of ['正常在校', '辍学', '休学']) expect(screen.getAllByLabelText(choice)).toHaveLength(2);
    expect(screen.getAllByLabelText('是').length).toBeGreaterThanOrEqual(2);
    expect(document.body.textContent).not.toMatch(/dropped_out|in_school|educationAid|schooling/);
  });
});

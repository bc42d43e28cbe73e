/** The uiSchema of the real catalogue forms, derived from the schemas alone. */
import { describe, expect, it } from 'vitest';
import type { RJSFSchema } from '@rjsf/utils';
import { CATALOGUE } from '../../processes';
import { localizeSchema } from '../../contracts/schemas/common';
import { buildUiSchema, enumTitle, literalChoicesAsEnums } from '../../admin/src/lib/schemaUi';
import { POLICY_SCHEMA } from '../../policy/schema';
import { pruneEmpty } from '../../admin/src/lib/prune';

const identification = CATALOGUE.find((p) => p.type === 'identification')!;
const start = localizeSchema(identification.startSchema, 'zh') as RJSFSchema;
const step = (key: string) => localizeSchema(identification.steps.find((s) => s.key === key)!.form, 'zh') as RJSFSchema;

describe('buildUiSchema', () => {
  it('gives reference fields their pickers, sets checkboxes, small enums radios, long texts areas', () => {
    const ui = buildUiSchema(start);
    expect(ui.householdId).toEqual({ 'ui:widget': 'household' });
    expect(ui.riskTypes).toMatchObject({ 'ui:widget': 'checkboxes' });
    expect(ui.channel).toMatchObject({ 'ui:widget': 'radio' });
    expect(ui.description).toMatchObject({ 'ui:widget': 'textarea' });
    // the optional alert section: its department list (10 departments) stays a select
    expect(ui.alert?.department).toBeUndefined();
  });

  it('picks the co-verifier among the village cadres and nests into objects', () => {
    const ui = buildUiSchema(step('homeVerification'));
    expect(ui.coVerifierId).toEqual({ 'ui:widget': 'villageCadre' });
    expect(ui.guarantees?.water).toMatchObject({ 'ui:widget': 'radio' });
    expect(ui.verifiedOn).toBeUndefined(); // a date: rjsf's date widget
  });

  it('honours an explicit x-widget', () => {
    expect(buildUiSchema({ type: 'object', properties: { who: { type: 'string', 'x-widget': 'villageCadre' } as RJSFSchema } })).toEqual({ who: { 'ui:widget': 'villageCadre' } });
  });

  it('works for every form of the catalogue', () => {
    for (const p of CATALOGUE) {
      for (const s of [p.startSchema, ...p.steps.map((x) => x.form), ...p.signals.map((x) => x.schema)]) {
        expect(() => buildUiSchema(localizeSchema(s, 'en') as RJSFSchema)).not.toThrow();
      }
    }
  });
});

describe('enumTitle', () => {
  it("names a decision code by the form's own words", () => {
    expect(enumTitle(step('townReview'), 'return')).toBe('退回重新核实');
    expect(enumTitle(step('villageReview'), 'pass')).toBe('评议通过');
    expect(enumTitle(step('villageReview'), 'nope')).toBeUndefined();
  });
});

describe('pruneEmpty', () => {
  it('drops an optional section left empty, keeps required ones and values', () => {
    expect(pruneEmpty(start, { householdId: 'H1', alert: {}, riskTypes: [] })).toEqual({ householdId: 'H1', riskTypes: [] });
    expect(pruneEmpty(start, { alert: { department: '区医保局' } })).toEqual({ alert: { department: '区医保局' } });
    expect(pruneEmpty(step('homeVerification'), { guarantees: {} })).toEqual({ guarantees: {} });
  });
});

describe("the policy editor's durations", () => {
  it('reads a one-unit ISO duration as a number and a unit, and writes it back', async () => {
    const { splitDuration, joinDuration } = await import('../../admin/src/lib/duration');
    expect(splitDuration('P5D')).toEqual({ amount: 5, unit: 'D' });
    expect(splitDuration('PT36H')).toEqual({ amount: 36, unit: 'H' });
    expect(splitDuration('PT2S')).toEqual({ amount: 2, unit: 'S' });
    expect(splitDuration('P1DT12H')).toBeUndefined();
    expect(joinDuration(7, 'D')).toBe('P7D');
    expect(joinDuration(30, 'M')).toBe('PT30M');
  });

  it('gives a duration field, and the duration choice of a deadline rule, the duration widget', () => {
    const ui = buildUiSchema({
      type: 'object',
      properties: {
        noticeMinimum: { type: 'string', 'x-editor': 'duration' },
        overallLimit: { 'x-editor': 'dueRule', anyOf: [{ type: 'object', properties: { calendarDays: { type: 'integer' } } }, { type: 'object', properties: { duration: { type: 'string' } } }] },
      },
    } as never);
    expect(ui.noticeMinimum).toEqual({ 'ui:widget': 'duration' });
    expect(ui.overallLimit).toEqual({ anyOf: [{}, { duration: { 'ui:widget': 'duration' } }] });
  });
});

describe('literalChoicesAsEnums', () => {
  it('turns the policy’s choices among literals into enumerations the form renders, titled in words', () => {
    const form = literalChoicesAsEnums(POLICY_SCHEMA as unknown as RJSFSchema) as { properties: Record<string, { properties: Record<string, { properties: Record<string, RJSFSchema> }> }> };
    const combine = form.properties.illnessRelief.properties.threshold.properties.combine;
    expect(combine).toMatchObject({ type: 'string', title: '两项门槛的组合', oneOf: [{ const: 'lower', title: '取较低者' }, { const: 'higher', title: '两者均须超过' }] });
    expect(combine.anyOf).toBeUndefined();
    expect(buildUiSchema(form.properties.illnessRelief.properties.threshold as RJSFSchema).combine).toMatchObject({ 'ui:widget': 'radio' });
    // A department (a constant without a title) is its own title.
    const education = form.properties.campaign.properties.departments.properties.education;
    expect(education.oneOf).toContainEqual({ const: '区教委', title: '区教委' });
  });
});

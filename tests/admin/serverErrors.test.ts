/** A refused request on a form: 400 field details → rjsf extraErrors on those fields; the rest on the form. */
import { describe, expect, it } from 'vitest';
import { HttpError } from 'react-admin';
import type { RJSFSchema } from '@rjsf/utils';
import { normalizeError, raValidationErrors } from '../../admin/src/api/http';
import { resolvePath, toFormFailure } from '../../admin/src/lib/serverErrors';
import { householdChanges } from '../../admin/src/api/dataProvider';

const schema: RJSFSchema = {
  type: 'object',
  properties: {
    householdId: { type: 'string' },
    riskTypes: { type: 'array', items: { type: 'string' } },
    guarantees: { type: 'object', properties: { water: { type: 'string' }, medical: { type: 'string' } } },
    alert: { type: 'object', properties: { department: { type: 'string' } } },
  },
};

const apiError = (status: number, error: Record<string, unknown>) => normalizeError(new HttpError('x', status, { error })) as HttpError;

describe('normalizeError', () => {
  it("uses the API's message and exposes details as react-admin validation errors", () => {
    const err = apiError(400, { code: 'invalid_request', message: 'idNumber: check digit is wrong', details: [{ field: 'idNumber', rule: 'checkDigit', message: 'check digit is wrong' }] });
    expect(err).toBeInstanceOf(HttpError);
    expect(err.message).toBe('idNumber: check digit is wrong');
    expect(err.status).toBe(400);
    expect((err.body as { errors: Record<string, unknown> }).errors).toEqual({ idNumber: 'check digit is wrong', root: { serverError: 'idNumber: check digit is wrong' } });
  });

  it('leaves other errors alone', () => {
    const e = new Error('network down');
    expect(normalizeError(e)).toBe(e);
  });

  it('keeps the first message per field', () => {
    expect(raValidationErrors({ error: { code: 'c', message: 'm', details: [{ field: 'a', rule: 'r', message: '1' }, { field: 'a', rule: 'r', message: '2' }] } })).toEqual({ a: '1', root: { serverError: 'm' } });
  });
});

describe('resolvePath', () => {
  it('follows properties and array items, stopping where the form has no field', () => {
    expect(resolvePath(schema, ['guarantees', 'water'])).toEqual(['guarantees', 'water']);
    expect(resolvePath(schema, ['riskTypes', '0'])).toEqual(['riskTypes', '0']);
    expect(resolvePath(schema, ['guarantees', 'nope'])).toEqual(['guarantees']);
    expect(resolvePath(schema, ['unknown'])).toEqual([]);
  });
});

describe('toFormFailure', () => {
  it('puts 400 details on their fields (a start form strips the `input` root)', () => {
    const err = apiError(400, {
      code: 'invalid_request',
      message: 'invalid',
      details: [
        { field: 'input.householdId', rule: 'required', message: 'is required' },
        { field: 'input.guarantees.water', rule: 'enum', message: 'must be equal to one of the allowed values' },
        { field: 'input.riskTypes.1', rule: 'enum', message: 'bad risk' },
        { field: 'input.alert.department.extra', rule: 'x', message: 'deeper' },
      ],
    });
    const f = toFormFailure(err, schema, { root: 'input' });
    expect(f.status).toBe(400);
    expect(f.extraErrors).toEqual({
      householdId: { __errors: ['is required'] },
      guarantees: { water: { __errors: ['must be equal to one of the allowed values'] } },
      riskTypes: { 1: { __errors: ['bad risk'] } },
      alert: { department: { __errors: ['extra: deeper'] } },
    });
    expect(f.formErrors).toEqual([]);
  });

  it('lists on the form what names no field of it', () => {
    const err = apiError(400, { code: 'invalid_request', message: 'bad', details: [{ field: 'foo', rule: 'additionalProperties', message: 'is not a known field' }, { rule: 'type', message: 'must be an object' }] });
    const f = toFormFailure(err, schema);
    expect(f.extraErrors).toEqual({});
    expect(f.formErrors).toEqual(['foo: is not a known field', 'must be an object']);
  });

  it('translates the rules it knows when given a translator', () => {
    const err = apiError(400, { code: 'invalid_request', message: 'bad', details: [{ field: 'householdId', rule: 'required', message: 'is required' }] });
    const f = toFormFailure(err, schema, { translate: (k) => (k === 'fangfan.validation.required' ? '必填' : k) });
    expect(f.extraErrors).toEqual({ householdId: { __errors: ['必填'] } });
  });

  it('keeps a 422 rule refusal and a 409 with the open case id as form messages', () => {
    const rule = toFormFailure(apiError(422, { code: 'rule_violation', message: '核实日期不能晚于今天 (the verification date cannot be in the future)', details: [] }), schema);
    expect(rule).toMatchObject({ status: 422, code: 'rule_violation', message: '核实日期不能晚于今天 (the verification date cannot be in the future)', formErrors: [], extraErrors: {} });
    const conflict = toFormFailure(apiError(409, { code: 'conflict', message: '该户已有办理中的监测对象认定', details: [], id: 'identification:H1:1' }), schema);
    expect(conflict).toMatchObject({ status: 409, existingId: 'identification:H1:1' });
  });

  it('survives an error that is not the API shape', () => {
    expect(toFormFailure(new Error('Failed to fetch'), schema)).toMatchObject({ message: 'Failed to fetch', formErrors: [], extraErrors: {} });
  });
});

describe('householdChanges', () => {
  it('sends only the writable fields that changed, never a masked ID number', () => {
    const prev = { id: 'H1', headName: '张三', idNumber: '500112********1234', phone: '138****0001', memberCount: 3, cases: [], monitoringStatus: 'none' };
    expect(householdChanges({ ...prev, headName: '张四', memberCount: 4 }, prev)).toEqual({ headName: '张四', memberCount: 4 });
    expect(householdChanges({ ...prev, idNumber: '500112********9999' }, prev)).toEqual({});
    expect(householdChanges({ ...prev, phone: '' }, prev)).toEqual({ phone: null });
  });
});

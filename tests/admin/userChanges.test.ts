/** `PUT /api/users/:id` gets only the changed writable fields (the API refuses others and an empty body). */
import { describe, expect, it } from 'vitest';
import { HttpError } from 'react-admin';
import { localizeUserErrors, userChanges } from '../../admin/src/api/dataProvider';
import { normalizeError } from '../../admin/src/api/http';
import { zh } from '../../admin/src/i18n/zh';

const before = { id: 'cadre.a', username: 'cadre.a', name: '甲', roles: ['village_cadre'], town: '统景镇', village: '荣光村', department: null, active: true };

describe('userChanges', () => {
  it('sends nothing when nothing changed (id and username are never sent)', () => {
    expect(userChanges({ ...before }, before)).toEqual({});
  });

  it('sends the changed roles, place and flag only', () => {
    expect(userChanges({ ...before, roles: ['town_officer'], village: '', active: false }, before)).toEqual({ roles: ['town_officer'], village: null, active: false });
  });

  it('clears an emptied town, village or department with null, and leaves an already empty one alone', () => {
    expect(userChanges({ ...before, town: '', village: undefined, department: '' }, before)).toEqual({ town: null, village: null });
    expect(userChanges({ ...before, department: '区医保局' }, before)).toEqual({ department: '区医保局' });
  });
});

describe('localizeUserErrors', () => {
  it('puts a translatable message on the field the API names, and keeps unknown ones as the API said', () => {
    const body = {
      error: {
        code: 'bad_request',
        message: 'village: a village cadre needs a town and a village; town: no town X in the district',
        details: [
          { field: 'village', rule: 'required', message: 'a village cadre needs a town and a village' },
          { field: 'town', rule: 'exists', message: 'no town X in the district' },
          { field: 'active', rule: 'other', message: 'as the API said' },
        ],
      },
    };
    const err = localizeUserErrors(normalizeError(new HttpError('Bad Request', 400, body))) as HttpError;
    const errors = (err.body as { errors: Record<string, unknown> }).errors;
    expect(errors.village).toBe('fangfan.users.error_village_required');
    expect(errors.town).toBe('fangfan.users.error_town_exists');
    expect(errors.active).toBe('as the API said');
    expect(errors.root).toEqual({ serverError: body.error.message });
    expect((zh as unknown as { fangfan: { users: Record<string, string> } }).fangfan.users.error_village_required).toBeTruthy();

    // All on known fields: the notification just says to fix them.
    const known = { error: { ...body.error, details: body.error.details.slice(0, 2) } };
    const all = localizeUserErrors(normalizeError(new HttpError('Bad Request', 400, known))) as HttpError;
    expect((all.body as { errors: Record<string, unknown> }).errors.root).toEqual({ serverError: 'fangfan.form.fix_fields' });
  });
});

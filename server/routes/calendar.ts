/**
 * The working-day calendar the workflows' deadlines use: a year's official holidays and make-up
 * workdays (and where they come from), and the same date arithmetic the due rules use.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { MAX_YEAR, MIN_YEAR } from '../../calendar';
import { isIsoDate } from '../../calendar/dates';
import { requireActor } from '../auth';
import { forbidden, invalidField, invalidFields, type ErrorDetail } from '../errors';
import { audit } from '../audit';

const CALENDAR_YEARS = { min: 1901, max: 2099 } as const;
const MAX_ADD_DAYS = 3650;

const DayEntry = Type.Object({ date: Type.String(), name: Type.String() });

const YearResponse = Type.Object({
  year: Type.Integer(),
  official: Type.Boolean({ description: 'true when an official notice (State Council) covers the year; false: provisional' }),
  source: Type.String(),
  holidays: Type.Array(DayEntry),
  makeUpWorkdays: Type.Array(DayEntry),
});

const AddQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ description: 'YYYY-MM-DD (required)' })),
    workingDays: Type.Optional(Type.String({ description: `integer 0..${MAX_ADD_DAYS}: working days after from (from not counted; 0 = from or the next working day)` })),
    days: Type.Optional(Type.String({ description: `integer 0..${MAX_ADD_DAYS}: calendar days after from` })),
  },
  { additionalProperties: false },
);

const AddResponse = Type.Object({
  from: Type.String(),
  date: Type.String(),
  provisional: Type.Boolean({ description: 'true when a year without an official schedule was used' }),
  rule: Type.Object({ workingDays: Type.Optional(Type.Integer()), calendarDays: Type.Optional(Type.Integer()) }),
});

const EnteredYearBody = Type.Object(
  {
    source: Type.Optional(Type.String({ maxLength: 300, description: "the notice's title and number, e.g. 国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕N号）" })),
    holidays: Type.Array(Type.Object({ date: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }), name: Type.String({ maxLength: 40 }) }, { additionalProperties: false }), { maxItems: 60 }),
    workdays: Type.Array(Type.Union([Type.String({ maxLength: 10 }), Type.Object({ date: Type.String({ maxLength: 10 }), name: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false })]), {
      maxItems: 20,
      description: 'make-up workdays (调休上班): YYYY-MM-DD, or {date, name}',
    }),
  },
  { additionalProperties: false },
);

const EnteredResponse = Type.Object({
  year: Type.Integer(),
  holidays: Type.Integer({ description: 'days off entered' }),
  makeUpWorkdays: Type.Integer(),
  recomputed: Type.Integer({ description: 'open cases whose provisional deadlines are being recomputed' }),
});

const ReloadResponse = Type.Object({
  years: Type.Array(Type.Integer(), { description: 'the years the official file covers' }),
  recomputed: Type.Integer({ description: 'open provisional deadlines recomputed' }),
});

function parseCount(name: string, v: string, details: ErrorDetail[]): number | undefined {
  if (!/^\d{1,5}$/.test(v) || Number(v) > MAX_ADD_DAYS) {
    details.push({ field: name, rule: 'range', message: `must be an integer from 0 to ${MAX_ADD_DAYS}` });
    return undefined;
  }
  return Number(v);
}

export async function calendarRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/calendar/add',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Add working days or calendar days to a date (the computation deadlines use)',
        querystring: AddQuery,
        response: { 200: AddResponse },
      },
    },
    async (request) => {
      requireActor(request);
      const q = request.query;
      const details: ErrorDetail[] = [];
      const from = (q.from ?? '').trim();
      const fromYear = Number(from.slice(0, 4));
      if (q.from === undefined) details.push({ field: 'from', rule: 'required', message: 'is required (YYYY-MM-DD)' });
      else if (!isIsoDate(from)) details.push({ field: 'from', rule: 'format', message: 'must be a date YYYY-MM-DD' });
      else if (fromYear < CALENDAR_YEARS.min || fromYear > CALENDAR_YEARS.max) {
        details.push({ field: 'from', rule: 'range', message: `must lie in ${CALENDAR_YEARS.min}..${CALENDAR_YEARS.max}` });
      }
      const has = { workingDays: q.workingDays !== undefined, days: q.days !== undefined };
      if (has.workingDays === has.days) {
        details.push({ field: has.days ? 'days' : 'workingDays', rule: 'oneOf', message: 'give exactly one of workingDays or days' });
      }
      const n = has.workingDays ? parseCount('workingDays', q.workingDays!, details) : has.days ? parseCount('days', q.days!, details) : undefined;
      if (details.length || n === undefined) throw invalidFields(details);

      const cal = app.services.calendar();
      try {
        if (has.workingDays) {
          const res = cal.addWorkingDays(from, n);
          return { from, date: res.date, provisional: res.provisional, rule: { workingDays: n } };
        }
        const res = cal.addCalendarDays(from, n);
        return { from, date: res.date, provisional: res.provisional, rule: { calendarDays: n } };
      } catch (err) {
        if (err instanceof RangeError) {
          // The calendar's data covers fewer years than 1901..2099: blame `from` when it lies outside,
          // otherwise the count that ran past the last covered year.
          const field = fromYear < MIN_YEAR || fromYear > MAX_YEAR ? 'from' : has.workingDays ? 'workingDays' : 'days';
          throw invalidField(field, 'range', err.message);
        }
        throw err;
      }
    },
  );

  r.get(
    '/calendar/:year',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Official holidays and make-up workdays of a year, and their source',
        params: Type.Object({ year: Type.String({ description: `${CALENDAR_YEARS.min}..${CALENDAR_YEARS.max}` }) }),
        response: { 200: YearResponse },
      },
    },
    async (request) => {
      requireActor(request);
      const text = request.params.year;
      const year = Number(text);
      if (!/^\d{4}$/.test(text) || year < CALENDAR_YEARS.min || year > CALENDAR_YEARS.max) {
        throw invalidField('year', 'range', `must be a year from ${CALENDAR_YEARS.min} to ${CALENDAR_YEARS.max}`);
      }
      try {
        return app.services.calendar().year(year);
      } catch (err) {
        if (err instanceof RangeError) throw invalidField('year', 'range', err.message);
        throw err;
      }
    },
  );

  r.post(
    '/calendar/reload',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Reload the official holiday file (admins) and recompute every open provisional deadline',
        response: { 200: ReloadResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      if (!actor.roles.includes('admin')) throw forbidden('仅管理员可重新加载节假日安排 (admins only)');
      const calendarYears = app.services.calendarYears;
      if (!calendarYears) throw forbidden('此部署的节假日安排由宿主固定，不能重新加载 (this host fixes the calendar)');
      let result: { years: number[]; recomputed: number };
      try {
        result = await calendarYears.reload();
      } catch (err) {
        throw invalidField('calendar', 'file', (err as Error).message);
      }
      await audit(app.services.db, { actor, action: 'calendar_reload', ip: request.ip, outcome: 'ok', detail: result });
      return result;
    },
  );

  r.put(
    '/calendar/:year',
    {
      schema: {
        tags: ['calendar'],
        summary: "Enter a year's official holidays and make-up workdays (admins); open provisional deadlines are recomputed",
        params: Type.Object({ year: Type.String({ description: `${MIN_YEAR}..${MAX_YEAR}` }) }),
        body: EnteredYearBody,
        response: { 200: EnteredResponse },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      if (actor.kind !== 'user' || !actor.roles.includes('admin')) throw forbidden('仅管理员可录入节假日安排 (admins only)');
      const calendarYears = app.services.calendarYears;
      if (!calendarYears) throw forbidden('此部署的节假日安排由宿主固定，不能录入 (this host fixes the calendar)');
      const text = request.params.year;
      if (!/^\d{4}$/.test(text)) throw invalidField('year', 'format', '年份须为四位数字');
      const result = await calendarYears.enter(Number(text), request.body, actor);
      if (Array.isArray(result)) throw invalidFields(result);
      await audit(app.services.db, { actor, action: 'calendar_year_entered', ip: request.ip, outcome: 'ok', detail: { ...result, source: request.body.source ?? null } });
      return result;
    },
  );
}

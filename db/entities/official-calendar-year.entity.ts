import { defineEntity, p } from '@mikro-orm/core';

/**
 * A year's official holiday schedule as an administrator entered it in the console (PUT /api/calendar/{year},
 * server/calendar-years.ts), the day the State Council publishes it. It takes precedence over the shipped
 * calendar file and package data for that year; entering the year again replaces it (the audit log keeps
 * who entered what).
 */
export const OfficialCalendarYear = defineEntity({
  name: 'OfficialCalendarYear',
  tableName: 'official_calendar_year',
  properties: {
    year: p.integer().primary().autoincrement(false),
    /** The notice's title and number, as the administrator gave it. */
    source: p.text(),
    /** Days off, `[{date, name}]`, dates YYYY-MM-DD. */
    holidays: p.json<{ date: string; name: string }[]>(),
    /** Make-up workdays (调休上班), `[{date, name}]`. */
    makeUpWorkdays: p.json<{ date: string; name: string }[]>(),
    enteredBy: p.string(),
    enteredByName: p.string(),
    enteredAt: p.datetime().index(),
  },
});

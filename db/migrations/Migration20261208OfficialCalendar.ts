import { Migration } from '@mikro-orm/migrations';

/** Official holiday schedules entered in the console (official_calendar_year). */
export class Migration20261208OfficialCalendar extends Migration {
  override async up(): Promise<void> {
    const ts = { useTz: true, precision: 3 };
    const statements = this.getKnex()
      .schema.createTable('official_calendar_year', (t) => {
        t.integer('year').primary();
        t.text('source').notNullable();
        t.json('holidays').notNullable();
        t.json('make_up_workdays').notNullable();
        t.string('entered_by').notNullable();
        t.string('entered_by_name').notNullable();
        t.datetime('entered_at', ts).notNullable().index();
      })
      .toSQL();
    for (const q of Array.isArray(statements) ? statements : [statements]) this.addSql(q.sql);
  }
}

import { Migration } from '@mikro-orm/migrations';

/** P4: the households' housing history (appraisals, renovations) and their housing status. */
export class Migration20261201Housing extends Migration {
  override async up(): Promise<void> {
    const add = (builder: { toSQL(): { sql: string }[] | { sql: string } }) => {
      const statements = builder.toSQL();
      for (const q of Array.isArray(statements) ? statements : [statements]) this.addSql(q.sql);
    };
    // A fresh schema builder per statement: a builder accumulates every statement given to it.
    add(
      this.getKnex().schema.createTable('housing_record', (t) => {
        t.string('id').primary();
        t.string('household_id').notNullable().index();
        t.string('kind').notNullable();
        t.string('process_id').nullable();
        t.string('grade').nullable();
        t.string('date').notNullable();
        t.integer('year').nullable();
        t.string('appraiser').nullable();
        t.string('report_no').nullable();
        t.string('method').nullable();
        t.integer('subsidy').nullable();
        t.string('voucher_no').nullable();
        t.text('notes').nullable();
        t.datetime('created_at', { useTz: true, precision: 3 }).notNullable();
      }),
    );
    add(
      this.getKnex().schema.alterTable('household', (t) => {
        t.string('housing_status').notNullable().defaultTo('unknown');
      }),
    );
  }
}

import { Migration } from '@mikro-orm/migrations';

/** P3: settlements reported by the medical insurance system, accumulated per household and year. */
export class Migration20261201Settlements extends Migration {
  override async up(): Promise<void> {
    const add = (builder: { toSQL(): { sql: string }[] | { sql: string } }) => {
      const statements = builder.toSQL();
      for (const q of Array.isArray(statements) ? statements : [statements]) this.addSql(q.sql);
    };
    add(
      this.getKnex().schema.createTable('medical_settlement', (t) => {
        t.increments('id').primary();
        // Unique: a settlement delivered twice (same event id or same Idempotency-Key) is stored once.
        t.string('event_key').notNullable().unique();
        t.string('event_id').nullable();
        t.string('household_id').notNullable();
        t.integer('year').notNullable();
        t.string('patient_name').notNullable();
        t.string('patient_relation').notNullable();
        t.string('disease').notNullable();
        t.string('settlement_date').notNullable();
        t.bigInteger('total_cost_fen').notNullable();
        t.bigInteger('basic_insurance_fen').notNullable();
        t.bigInteger('critical_illness_insurance_fen').notNullable();
        t.bigInteger('medical_assistance_fen').notNullable();
        t.bigInteger('out_of_pocket_fen').notNullable();
        t.string('replaces_event_key').nullable();
        t.string('superseded_by').nullable();
        t.string('process_id').nullable();
        t.string('received_by').notNullable();
        t.datetime('received_at', { useTz: true, precision: 3 }).notNullable();
        t.index(['household_id', 'year']);
      }),
    );
  }
}

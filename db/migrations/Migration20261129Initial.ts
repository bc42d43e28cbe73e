import { Migration } from '@mikro-orm/migrations';

/** The read model's first schema, written with the portable schema builder (SQLite and PostgreSQL). */
export class Migration20261129Initial extends Migration {
  override async up(): Promise<void> {
    // A fresh schema builder per table: a builder accumulates every statement given to it.
    const s = { createTable: (...args: Parameters<ReturnType<typeof this.getKnex>['schema']['createTable']>) => this.getKnex().schema.createTable(...args) };
    const ts = { useTz: true, precision: 3 };
    const add = (builder: { toSQL(): { sql: string }[] | { sql: string } }) => {
      const statements = builder.toSQL();
      for (const q of Array.isArray(statements) ? statements : [statements]) this.addSql(q.sql);
    };
    add(
      s.createTable('household', (t) => {
        t.string('id').primary();
        t.string('head_name').notNullable();
        t.string('id_number').notNullable().unique();
        t.string('phone').nullable();
        t.string('town').notNullable().index();
        t.string('village').notNullable().index();
        t.integer('member_count').notNullable();
        t.string('status').notNullable().defaultTo('ordinary');
        t.json('low_income_groups').notNullable().defaultTo('[]');
        t.string('monitoring_status').notNullable().defaultTo('none').index();
        t.string('monitoring_category').nullable();
        t.json('risk_types').notNullable().defaultTo('[]');
        t.string('monitored_since').nullable();
        t.string('monitoring_process_id').nullable();
        t.integer('case_seq').notNullable().defaultTo(0);
        t.datetime('created_at', ts).notNullable();
        t.datetime('updated_at', ts).notNullable();
      }),
    );
    add(
      s.createTable('village', (t) => {
        t.increments('id').primary();
        t.string('town').notNullable().index();
        t.string('name').notNullable();
        t.boolean('key').notNullable().defaultTo(false);
        t.unique(['town', 'name']);
      }),
    );
    add(
      s.createTable('app_user', (t) => {
        t.string('id').primary();
        t.string('username').notNullable().unique();
        t.string('name').notNullable();
        t.string('password_hash').notNullable();
        t.json('roles').notNullable();
        t.string('town').nullable();
        t.string('village').nullable();
        t.string('department').nullable();
        t.boolean('active').notNullable().defaultTo(true);
        t.datetime('created_at', ts).notNullable();
      }),
    );
    add(
      s.createTable('session', (t) => {
        t.string('token_hash').primary();
        t.string('user_id').notNullable().index();
        t.datetime('created_at', ts).notNullable();
        t.datetime('expires_at', ts).notNullable();
      }),
    );
    add(
      s.createTable('process', (t) => {
        t.string('id').primary();
        t.string('run_id').nullable();
        t.string('type').notNullable().index();
        t.string('status').notNullable().index();
        t.string('stage').notNullable();
        t.string('subject').notNullable();
        t.string('household_id').nullable().index();
        t.string('title').notNullable();
        t.string('town').notNullable().index();
        t.string('village').notNullable().index();
        t.json('departments').notNullable().defaultTo('[]');
        t.datetime('started_at', ts).notNullable();
        t.datetime('closed_at', ts).nullable();
        t.datetime('due_at', ts).nullable();
        t.string('due_date').nullable();
        t.boolean('due_provisional').notNullable().defaultTo(false);
        t.datetime('overdue_since', ts).nullable();
        t.string('outcome').nullable();
        t.text('outcome_reasons').nullable();
        t.integer('revision').notNullable();
        t.datetime('updated_at', ts).notNullable();
      }),
    );
    add(
      s.createTable('step', (t) => {
        t.string('id').primary();
        t.string('process_id').notNullable().index();
        t.string('step_id').notNullable();
        t.string('process_type').notNullable().index();
        t.string('step_key').notNullable();
        t.string('title_zh').notNullable();
        t.string('title_en').notNullable();
        t.string('role').notNullable().index();
        t.string('scope').notNullable();
        t.string('department').nullable();
        t.string('assignee').nullable();
        t.string('town').notNullable().index();
        t.string('village').notNullable();
        t.string('household_id').nullable();
        t.datetime('opened_at', ts).notNullable();
        t.datetime('due_at', ts).notNullable().index();
        t.string('due_date').notNullable();
        t.boolean('provisional').notNullable().defaultTo(false);
        t.datetime('escalated_at', ts).nullable();
        t.string('status').notNullable().index();
        t.datetime('completed_at', ts).nullable();
        t.string('completed_by').nullable();
        t.string('completed_by_name').nullable();
        t.index(['status', 'due_at']);
      }),
    );
    add(
      s.createTable('audit_entry', (t) => {
        t.increments('id').primary();
        t.datetime('at', ts).notNullable().index();
        t.string('actor_kind').notNullable();
        t.string('actor_id').notNullable().index();
        t.string('actor_name').notNullable();
        t.string('action').notNullable().index();
        t.string('process_id').nullable().index();
        t.string('target').nullable();
        t.string('ip').nullable();
        t.string('outcome').notNullable();
        t.json('detail').nullable();
      }),
    );
    add(
      s.createTable('open_case', (t) => {
        t.increments('id').primary();
        t.string('type').notNullable();
        t.string('subject').notNullable();
        t.string('process_id').notNullable();
        t.datetime('created_at', ts).notNullable();
        t.unique(['type', 'subject']);
      }),
    );
    add(
      s.createTable('idempotency_record', (t) => {
        t.string('id').primary();
        t.string('request_hash').notNullable();
        t.integer('status').notNullable();
        t.json('body').nullable();
        t.datetime('created_at', ts).notNullable();
      }),
    );
  }
}

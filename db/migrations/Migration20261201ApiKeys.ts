import { Migration } from '@mikro-orm/migrations';

/**
 * Security and integrations: API keys, dead letters, the lease of pending idempotency records, and
 * an append-only audit log (the database itself refuses to change or delete an audit entry).
 */
export class Migration20261201ApiKeys extends Migration {
  override async up(): Promise<void> {
    const ts = { useTz: true, precision: 3 };
    const add = (builder: { toSQL(): { sql: string }[] | { sql: string } }) => {
      const statements = builder.toSQL();
      for (const q of Array.isArray(statements) ? statements : [statements]) this.addSql(q.sql);
    };
    // A fresh schema builder per statement: a builder accumulates every statement given to it.
    add(
      this.getKnex().schema.createTable('api_key', (t) => {
        t.string('id').primary();
        t.string('name').notNullable();
        t.string('prefix').notNullable();
        t.string('hash').notNullable();
        t.json('scopes').notNullable();
        t.string('created_by').notNullable();
        t.datetime('created_at', ts).notNullable();
        t.datetime('revoked_at', ts).nullable();
        t.string('revoked_by').nullable();
        t.datetime('last_used_at', ts).nullable();
      }),
    );
    add(
      this.getKnex().schema.createTable('dead_letter', (t) => {
        t.string('id').primary();
        t.string('source').notNullable().index();
        t.string('source_name').notNullable();
        t.string('endpoint').notNullable();
        t.json('payload').notNullable();
        t.text('reason').notNullable();
        t.integer('status').notNullable();
        t.string('fingerprint').notNullable().index();
        t.integer('attempts').notNullable().defaultTo(1);
        t.datetime('received_at', ts).notNullable().index();
        t.datetime('replayed_at', ts).nullable();
        t.string('replayed_by').nullable();
        t.json('replay_result').nullable();
      }),
    );
    add(
      this.getKnex().schema.alterTable('idempotency_record', (t) => {
        t.datetime('lease_until', ts).nullable();
      }),
    );
    // Append-only audit log, enforced by the database as well as by the code (no update path).
    const client = String((this.getKnex().client as { config?: { client?: unknown } }).config?.client ?? '');
    if (/sqlite/i.test(client)) {
      this.addSql(`create trigger audit_entry_no_update before update on audit_entry begin select raise(abort, 'audit_entry is append-only'); end`);
      this.addSql(`create trigger audit_entry_no_delete before delete on audit_entry begin select raise(abort, 'audit_entry is append-only'); end`);
    } else if (/pg|postgres/i.test(client)) {
      this.addSql(`create or replace function audit_entry_append_only() returns trigger language plpgsql as $$ begin raise exception 'audit_entry is append-only'; end $$`);
      this.addSql(`create trigger audit_entry_no_change before update or delete on audit_entry for each row execute function audit_entry_append_only()`);
    }
  }
}

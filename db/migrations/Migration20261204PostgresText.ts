import { Migration } from '@mikro-orm/migrations';

/** The read model's tables (every one created by the migrations before this one). */
const TABLES = ['household', 'village', 'app_user', 'session', 'process', 'step', 'audit_entry', 'open_case', 'idempotency_record', 'api_key', 'dead_letter', 'housing_record', 'medical_settlement'];

/**
 * PostgreSQL only: text without a length limit, as on SQLite. The schema builder's `string()` is
 * `varchar(255)` on PostgreSQL, which refuses longer values SQLite keeps: the write fails (a 500, or,
 * for the audit of a refused request on a case id of 300 characters, a lost audit entry). SQLite
 * ignores declared lengths: nothing to do there. (varchar to text rewrites neither tables nor indexes.)
 */
export class Migration20261204PostgresText extends Migration {
  override async up(): Promise<void> {
    if ((this.getKnex().client as { dialect?: string }).dialect !== 'postgresql') return;
    this.addSql(
      `do $$ declare c record; begin
         for c in select table_name, column_name from information_schema.columns
                  where table_schema = current_schema() and data_type = 'character varying' and table_name in (${TABLES.map((t) => `'${t}'`).join(', ')})
         loop execute format('alter table %I alter column %I type text', c.table_name, c.column_name); end loop;
       end $$`,
    );
  }
}

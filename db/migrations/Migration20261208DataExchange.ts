import { Migration } from '@mikro-orm/migrations';

/**
 * 部门数据比对 (server/data-exchange): the batches departments send, and each record with its match in the
 * register, the rules it set off and its follow-up (verification case, outcome, reasons, identification).
 */
export class Migration20261208DataExchange extends Migration {
  override async up(): Promise<void> {
    const knex = this.getKnex();
    const sql = [
      knex.schema
        .createTable('exchange_batch', (t) => {
          t.string('id').primary();
          /** The sender's delivery (caller and Idempotency-Key, or the upload's digest): one batch per delivery. */
          t.string('delivery_key').notNullable().unique();
          t.string('department').notNullable().index();
          t.string('kind').notNullable();
          t.string('sender_id').notNullable();
          t.string('sender_name').notNullable();
          t.string('source').notNullable();
          t.string('policy_version').notNullable();
          t.integer('received').notNullable();
          t.integer('matched').notNullable();
          t.integer('unmatched').notNullable();
          t.integer('duplicates').notNullable();
          t.integer('warnings').notNullable();
          t.integer('processed').notNullable().defaultTo(0);
          t.string('status').notNullable();
          t.datetime('received_at').notNullable().index();
          t.datetime('finished_at').nullable();
        })
        .toSQL(),
      knex.schema
        .createTable('exchange_record', (t) => {
          t.string('batch_id').notNullable();
          t.integer('seq').notNullable();
          t.primary(['batch_id', 'seq']);
          t.string('id_number').notNullable();
          t.string('name').notNullable();
          t.text('indicators').notNullable();
          /** matched | unmatched | duplicate | warning (matched, and a rule went off) */
          t.string('result').notNullable();
          t.string('household_id').nullable().index();
          /** head | the member's relation */
          t.string('relation').nullable();
          /** The rules that went off: [{ rule, riskType, text }] (JSON). */
          t.text('rules').nullable();
          /** verification | note, once the batch's workflow followed the warning up. */
          t.string('follow_up').nullable();
          t.string('verification_id').nullable();
          /** open | confirmed | dismissed | noted */
          t.string('outcome').nullable();
          t.text('reasons').nullable();
          t.string('case_id').nullable();
          t.datetime('decided_at').nullable();
        })
        .toSQL(),
      knex.schema.alterTable('exchange_record', (t) => t.index(['batch_id', 'result'])).toSQL(),
    ];
    for (const s of sql) for (const q of Array.isArray(s) ? s : [s]) this.addSql(q.sql);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists exchange_record;');
    this.addSql('drop table if exists exchange_batch;');
  }
}

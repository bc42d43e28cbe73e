import { Migration } from '@mikro-orm/migrations';

/**
 * The policy's new `supervision` section (督办: processes/supervision/): every stored version written
 * before it gets the policy file's value, `reply: { workingDays: 3 }`, so that a version in force still
 * loads (each version's values are checked again on load). A version's digest stays: it names the values
 * the version was activated with, and cases started under it keep theirs.
 */
export class Migration20261208SupervisionPolicy extends Migration {
  override async up(): Promise<void> {
    const rows = (await this.execute('select id, "values" from policy_version')) as { id: string; values: unknown }[];
    for (const row of rows) {
      const values = (typeof row.values === 'string' ? JSON.parse(row.values) : row.values) as Record<string, unknown>;
      if (!values || typeof values !== 'object' || 'supervision' in values) continue;
      const changed = JSON.stringify({ ...values, supervision: { reply: { workingDays: 3 } } });
      this.addSql(this.getKnex()('policy_version').where('id', row.id).update({ values: changed }));
    }
  }

  override async down(): Promise<void> {
    // The section stays: older code ignores nothing it does not know, so nothing to undo safely.
  }
}

import { Migration20261129Initial } from './Migration20261129Initial';
import { Migration20261130UserLockout } from './Migration20261130UserLockout';

/** Checked-in migrations, in order. Add new ones at the end; never edit a released one. */
export const migrationsList = [
  { name: 'Migration20261129Initial', class: Migration20261129Initial },
  { name: 'Migration20261130UserLockout', class: Migration20261130UserLockout },
];

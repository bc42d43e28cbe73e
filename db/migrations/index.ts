import { Migration20261129Initial } from './Migration20261129Initial';
import { Migration20261130UserLockout } from './Migration20261130UserLockout';
import { Migration20261201Housing } from './Migration20261201Housing';
import { Migration20261201ApiKeys } from './Migration20261201ApiKeys';
import { Migration20261201Settlements } from './Migration20261201Settlements';
import { Migration20261202StepListIndexes } from './Migration20261202StepListIndexes';
import { Migration20261203StepTeam } from './Migration20261203StepTeam';
import { Migration20261204PostgresText } from './Migration20261204PostgresText';
import { Migration20261205StepInboxTeamIndex } from './Migration20261205StepInboxTeamIndex';
import { Migration20261206PolicyVersions } from './Migration20261206PolicyVersions';
import { Migration20261207LoginThrottle } from './Migration20261207LoginThrottle';
import { Migration20261207MonitoringStatistics } from './Migration20261207MonitoringStatistics';
import { Migration20261208OfficialCalendar } from './Migration20261208OfficialCalendar';
import { Migration20261208EvidenceFiles } from './Migration20261208EvidenceFiles';
import { Migration20261208CaseNumbers } from './Migration20261208CaseNumbers';
import { Migration20261208HouseholdMembers } from './Migration20261208HouseholdMembers';
import { Migration20261208PasswordChange } from './Migration20261208PasswordChange';

/** Checked-in migrations, in order. Add new ones at the end; never edit a released one. */
export const migrationsList = [
  { name: 'Migration20261129Initial', class: Migration20261129Initial },
  { name: 'Migration20261130UserLockout', class: Migration20261130UserLockout },
  { name: 'Migration20261201Housing', class: Migration20261201Housing },
  { name: 'Migration20261201ApiKeys', class: Migration20261201ApiKeys },
  { name: 'Migration20261201Settlements', class: Migration20261201Settlements },
  { name: 'Migration20261202StepListIndexes', class: Migration20261202StepListIndexes },
  { name: 'Migration20261203StepTeam', class: Migration20261203StepTeam },
  { name: 'Migration20261204PostgresText', class: Migration20261204PostgresText },
  { name: 'Migration20261205StepInboxTeamIndex', class: Migration20261205StepInboxTeamIndex },
  { name: 'Migration20261206PolicyVersions', class: Migration20261206PolicyVersions },
  { name: 'Migration20261207LoginThrottle', class: Migration20261207LoginThrottle },
  { name: 'Migration20261207MonitoringStatistics', class: Migration20261207MonitoringStatistics },
  { name: 'Migration20261208OfficialCalendar', class: Migration20261208OfficialCalendar },
  { name: 'Migration20261208EvidenceFiles', class: Migration20261208EvidenceFiles },
  { name: 'Migration20261208CaseNumbers', class: Migration20261208CaseNumbers },
  { name: 'Migration20261208HouseholdMembers', class: Migration20261208HouseholdMembers },
  { name: 'Migration20261208PasswordChange', class: Migration20261208PasswordChange },
];

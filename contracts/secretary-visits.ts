/**
 * The secretaries' annual 遍访 coverage (GET /api/stats/secretary-visits), shared by the server and the
 * console. Plan item 4: the district secretary visits the key towns and key villages; town secretaries
 * their villages and their 监测户; village secretaries and 第一书记 every 脱贫户 and 监测户 of their village.
 */
import type { Post } from './posts';

/** What a secretary must visit: a town, a village, or a household (脱贫户 / 监测户). */
export interface VisitUnit {
  kind: 'town' | 'village' | 'household';
  town: string;
  village: string | null;
  householdId: string | null;
  /** The household's head as the register names it (no ID number, no phone). */
  headName: string | null;
  /** For a household: 监测户 (`monitored`) or 脱贫户 (`out_of_poverty`). */
  group: 'monitored' | 'out_of_poverty' | null;
}

export interface SecretaryCoverage {
  userId: string;
  name: string;
  post: Post;
  town: string | null;
  village: string | null;
  /** Units to visit this year. */
  due: number;
  /** Of those, units the secretary visited in the year. */
  visited: number;
  /** visited / due in percent (one decimal); null when nothing is due. */
  coverage: number | null;
  /** The units not yet visited. */
  unvisited: VisitUnit[];
}

export interface SecretaryVisits {
  year: number;
  /**
   * How the district secretary's set was chosen: `key` the register's key villages (重点村) and their
   * towns; `monitored` (the register flags no key village) every village with 监测户 and its town.
   */
  districtBasis: 'key' | 'monitored';
  secretaries: SecretaryCoverage[];
}

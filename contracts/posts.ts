/**
 * 职务 (a user's post) for the secretaries' annual 遍访 (plan item 4): the district secretary visits the
 * key towns and key villages; town secretaries their villages and their 监测户; village secretaries and
 * 第一书记 every 脱贫户 and 监测户 of their village. A post belongs to one level, and a user holding it must
 * be placed at that level (a village post needs a town and a village, a town post a town and no village,
 * the district post neither).
 */
import { t, type Text } from './i18n';

export const POSTS = ['district_secretary', 'town_secretary', 'village_secretary', 'first_secretary'] as const;
export type Post = (typeof POSTS)[number];

export type PostLevel = 'district' | 'town' | 'village';

export const POST_TITLES: Record<Post, Text> = {
  district_secretary: t('区委书记', 'District Party secretary'),
  town_secretary: t('镇党委书记', 'Town Party secretary'),
  village_secretary: t('村党组织书记', 'Village Party secretary'),
  first_secretary: t('驻村第一书记', 'First secretary stationed in the village'),
};

export const POST_LEVELS: Record<Post, PostLevel> = {
  district_secretary: 'district',
  town_secretary: 'town',
  village_secretary: 'village',
  first_secretary: 'village',
};

/** The level a user's place puts them at: no town the district, a town without a village the town, else the village. */
export const placeLevel = (u: { town?: string | null; village?: string | null }): PostLevel => (!u.town ? 'district' : !u.village ? 'town' : 'village');

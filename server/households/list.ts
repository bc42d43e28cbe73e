/** The register as a react-admin list (server/lists.ts): its filters, free-text search and sorts. */
import type { Actor } from '../../contracts/roles';
import { HOUSEHOLD_STATUSES, MONITORING_CATEGORIES, MONITORING_STATUSES, RISK_TYPES } from '../../contracts/vocabulary';
import { bool, containsCondition, ids, isoDate, oneOf, str, type ListSpec, type Where } from '../lists';
import { householdAreaScope } from '../scope';
import { NEEDS_CONTACT_CADRE } from './contact-cadre';

/**
 * Free-text search over name, household id and ID number. The ID number is matched in part only
 * where the caller may see it; elsewhere only a whole ID number matches (no guessing digit by digit).
 */
function searchWhere(actor: Actor, term: string): Where {
  const t = term.trim();
  const visible = householdAreaScope(actor);
  const or: Where[] = [containsCondition('head_name', t), containsCondition('id', t), { idNumber: t.toUpperCase() }];
  if (visible) or.push({ $and: [visible, containsCondition('id_number', t.toUpperCase())] });
  return { $or: or };
}

export function householdListSpec(actor: Actor): ListSpec {
  return {
    resource: 'households',
    filters: {
      town: (v) => ({ town: str('town')(v) }),
      village: (v) => ({ village: str('village')(v) }),
      status: (v) => ({ status: oneOf('status', Object.keys(HOUSEHOLD_STATUSES))(v) }),
      monitoringStatus: (v) => ({ monitoringStatus: oneOf('monitoringStatus', Object.keys(MONITORING_STATUSES))(v) }),
      monitoringCategory: (v) => ({ monitoringCategory: oneOf('monitoringCategory', Object.keys(MONITORING_CATEGORIES))(v) }),
      riskType: (v) => containsCondition('risk_types', `"${oneOf('riskType', Object.keys(RISK_TYPES))(v)}"`),
      // Periods, both days included (the statistics' includedInPeriod, eliminatedInPeriod, returnedInPeriod).
      includedFrom: (v) => ({ monitoredSince: { $gte: isoDate('includedFrom')(v) } }),
      includedTo: (v) => ({ monitoredSince: { $lte: isoDate('includedTo')(v) } }),
      eliminatedFrom: (v) => ({ eliminatedOn: { $gte: isoDate('eliminatedFrom')(v) } }),
      eliminatedTo: (v) => ({ eliminatedOn: { $lte: isoDate('eliminatedTo')(v) } }),
      returned: (v) => ({ returnedOn: bool('returned')(v) ? { $ne: null } : null }),
      returnedFrom: (v) => ({ returnedOn: { $gte: isoDate('returnedFrom')(v) } }),
      returnedTo: (v) => ({ returnedOn: { $lte: isoDate('returnedTo')(v) } }),
      // 包户干部: `withoutContactCadre=true` lists the 脱贫户 and 监测户 that have none yet (server/households/contact-cadre.ts).
      withoutContactCadre: (v) => (bool('withoutContactCadre')(v) ? { $and: [NEEDS_CONTACT_CADRE, { contactCadreId: null }] } : { contactCadreId: { $ne: null } }),
      contactCadre: (v) => ({ contactCadreId: str('contactCadre')(v) }),
      q: (v) => searchWhere(actor, str('q')(v)),
      id: (v) => ({ id: { $in: ids('id')(v) } }),
    },
    sorts: {
      id: 'id',
      headName: 'headName',
      town: 'town',
      village: 'village',
      memberCount: 'memberCount',
      status: 'status',
      monitoringStatus: 'monitoringStatus',
      monitoredSince: 'monitoredSince',
      eliminatedOn: 'eliminatedOn',
      createdAt: 'createdAt',
      updatedAt: 'updatedAt',
    },
    defaultSort: ['id', 'ASC'],
  };
}

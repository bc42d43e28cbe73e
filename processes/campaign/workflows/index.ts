/**
 * P5 大走访、大排查、大整改 (plan items 17, 48–51), one workflow type per file. The tree, so that no
 * history grows with the district's size:
 *
 *   campaign:<year>                       one per year (district); its children are the towns
 *   └ campaign:<year>:<town>              town case: 组建走访小组 (teams of two), team changes
 *     └ campaign:<year>:<town>:<village>  village run (no steps): opens the village's visits
 *       (└ campaign:<year>:<town>:<village>:<n>   parts of 100 households, in a larger village)
 *       └ campaignVisit:<year>:<household>   visit case: the checklist, for a team of two
 *         └ rectification:<year>:<household>:<item>   one per failed item (processes/rectification/)
 *
 * Children are started with ABANDON (a campaign closed at its end date leaves open problems running,
 * carried over) and deterministic ids (a replayed or retried start never doubles a case). Each level
 * waits for its children's results; the campaign also waits for the rectification phase's end date.
 */
export { campaign } from './campaign';
export { campaignScheduled } from './campaign-scheduled';
export { campaignTown } from './campaign-town';
export { campaignVillage } from './campaign-village';
export { campaignVillagePart } from './campaign-village-part';
export { campaignVisit } from './campaign-visit';

/** Every workflow the worker runs (the bundle's entry point). */
export { identification } from '../processes/identification/workflows';
export { houseRebuild } from '../processes/house-rebuild/workflows';
export { helperAssignment } from '../processes/helper-assignment/workflows';
export { illnessRelief } from '../processes/illness-relief/workflows';
export { outOfPovertyVisit, outOfPovertyVisitRound } from '../processes/poverty-visit/workflows';
export { campaign, campaignScheduled, campaignTown, campaignVillage, campaignVillagePart, campaignVisit, rectification } from '../processes/campaign/workflows/campaign';

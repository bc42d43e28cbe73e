/** Every workflow the worker runs (the bundle's entry point). */
export { identification } from './identification';
export { houseRebuild } from './house-rebuild';
export { helperAssignment } from './helper-assignment';
export { illnessRelief } from './illness-relief';
export { outOfPovertyVisit, outOfPovertyVisitRound } from './poverty-visit';
export { campaign, campaignScheduled, campaignTown, campaignVillage, campaignVillagePart, campaignVisit, rectification } from './campaign';

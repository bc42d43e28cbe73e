/** The shipped designed processes, loaded on a fresh demo start (server/processes/designed-examples.ts). */
import { PROJECT_LIBRARY } from './project-library';
import { TEMPORARY_RELIEF } from './temporary-relief';

export const DESIGNED_EXAMPLES = [TEMPORARY_RELIEF, PROJECT_LIBRARY];

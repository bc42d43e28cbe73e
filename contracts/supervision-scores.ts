/** A year's supervision score of a town or department (GET /api/stats/scores), shared by the server and the console. */
import type { Text } from './i18n';

export interface SupervisionScoreRow {
  kind: 'town' | 'department';
  unit: string;
  stepsDue: number;
  stepsOnTime: number;
  onTimeRate: number;
  visitsDue?: number;
  visitsDone?: number;
  visitRate?: number;
  reopenedFixes: number;
  noticesReceived: number;
  score: number;
}

export interface SupervisionScores {
  year: number;
  formula: { town: Text; department: Text };
  rows: SupervisionScoreRow[];
}

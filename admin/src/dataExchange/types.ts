/** The data exchange's records as the API answers them. */
/** A department's batch of the data exchange (`GET /api/data-exchange/batches`). */
export interface ExchangeBatch {
  id: string;
  department: string;
  kind: string;
  source: string;
  senderName: string;
  receivedAt: string;
  finishedAt: string | null;
  status: 'processing' | 'done';
  received: number;
  matched: number;
  unmatched: number;
  duplicates: number;
  warnings: number;
  processed: number;
}

/** A record of a batch with its outcome (the department's feedback). */
export interface ExchangeRecord {
  id: string;
  seq: number;
  idNumber: string;
  name: string;
  result: 'matched' | 'warning' | 'unmatched' | 'duplicate';
  householdId: string | null;
  rules: { rule: string; riskType: string; text: string }[];
  outcome: 'open' | 'confirmed' | 'dismissed' | 'noted' | null;
  reasons: string | null;
  caseId: string | null;
}

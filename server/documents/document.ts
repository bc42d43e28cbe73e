/** What a kind of printed document is: which cases offer it and how it is built from a case's state. */
import type { CaseState } from '../../contracts/steps';
import type { Services } from '../services';
import type { PrintedDocument } from './layout';

/** One document a case offers now. `village`: a list printed per village (the campaign's problem lists). */
export interface DocumentOffer {
  title: string;
  village?: string;
}

export interface CaseDocument {
  /** The name in the URL (`GET /api/processes/:id/documents/:kind`). */
  kind: string;
  /** What the case offers of this kind now, from its live state: none, one, or one per village. */
  offers(state: CaseState): DocumentOffer[];
  /** The document (only called for an offer: `village` is one the offers name, when they name one). */
  build(state: CaseState, ctx: { services: Services; village?: string }): PrintedDocument | Promise<PrintedDocument>;
}

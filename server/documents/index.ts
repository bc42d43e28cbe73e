/**
 * Every printed document, one line each (a file per kind beside this one, one page layout in
 * layout.ts). A case offers the kinds whose `offers` name something for its live state.
 */
import type { CaseState } from '../../contracts/steps';
import type { CaseDocument, DocumentOffer } from './document';
import { publicNotice } from './notice';
import { reliefDecision } from './relief-decision';
import { rebuildAcceptance } from './rebuild-acceptance';
import { problemList } from './problem-list';

export const DOCUMENTS: readonly CaseDocument[] = [publicNotice, reliefDecision, rebuildAcceptance, problemList];

export const documentKind = (kind: string): CaseDocument | undefined => DOCUMENTS.find((d) => d.kind === kind);

/** What the case offers now, in the order above. */
export const caseOffers = (state: CaseState): (DocumentOffer & { kind: string })[] => DOCUMENTS.flatMap((d) => d.offers(state).map((o) => ({ kind: d.kind, ...o })));

export type { CaseDocument, DocumentOffer } from './document';
export { documentHtml, documentText, type PrintedDocument } from './layout';
export { buildNotice, noticeMinimum, type Notice } from './notice';

/**
 * The printed documents of a case (server/documents/): which it offers now, and one of them as a
 * page. Whoever may read the case may print what it offers; every print is audited (`print`).
 */
import type { Actor } from '../../contracts/roles';
import { noticeOf } from '../../processes';
import type { Services } from '../services';
import { audit } from '../audit';
import { withNoticePhotos } from '../documents/notice';
import { buildNotice, caseOffers, documentKind, noticeMinimum, type DocumentOffer, type Notice, type PrintedDocument } from '../documents';
import { invalidField, notFound } from './refusal';
import { liveState, visibleCase } from './visible-case';

/** What the case offers to print now. */
export async function documentOffers(services: Services, actor: Actor, processId: string): Promise<(DocumentOffer & { kind: string })[]> {
  const found = await visibleCase(services, actor, processId);
  return caseOffers(await liveState(services, found));
}

export interface PrintInput {
  processId: string;
  kind: string;
  /** The village of a list printed per village. */
  village?: string;
  ip?: string;
}

/** One document the case offers; 404 for a kind it does not offer (now, or for that village). */
export async function printDocument(services: Services, actor: Actor, { processId, kind, village, ip }: PrintInput): Promise<PrintedDocument> {
  const found = await visibleCase(services, actor, processId);
  const spec = documentKind(kind);
  if (!spec) throw notFound(`没有这种文书：${kind} (no document kind ${kind})`);
  const state = await liveState(services, found);
  const offers = spec.offers(state);
  if (offers.some((o) => o.village) && !village) throw invalidField('village', 'required', '请指明打印哪个村的清单 (name the village of the list)');
  if (!offers.some((o) => o.village === village)) throw notFound(`该流程当前没有此文书 (the case offers no ${kind}${village ? ` for ${village}` : ''} now)`);
  const document = await spec.build(state, { services, ...(village ? { village } : {}) });
  await printed(services, actor, processId, kind, document, ip, village);
  return document;
}

/** The public notice in both forms (`GET /api/processes/:id/notice`), its draft too. */
export async function printNotice(services: Services, actor: Actor, { processId, ip }: { processId: string; ip?: string }): Promise<{ notice: Notice; document: PrintedDocument }> {
  const found = await visibleCase(services, actor, processId);
  if (!noticeOf(found.type)) throw notFound(`该类流程没有公示 (a ${found.type} case posts no public notice)`);
  const state = await liveState(services, found);
  const built = buildNotice(state, noticeMinimum(found.type, services));
  built.document = await withNoticePhotos(services, state, built.document);
  await printed(services, actor, processId, 'notice', built.document, ip);
  return built;
}

const printed = (services: Services, actor: Actor, processId: string, kind: string, document: PrintedDocument, ip?: string, village?: string) =>
  audit(services.db, { actor, action: 'print', processId, target: kind, ...(ip ? { ip } : {}), outcome: 'ok', detail: { title: document.title, ...(village ? { village } : {}) } });

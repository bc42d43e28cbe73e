/**
 * 打印: one button per document the case offers now (`GET /api/processes/:id/documents`). The page is
 * fetched with the console's token (a plain link could not send it), put in a hidden frame and
 * handed to the browser's print dialog, where "另存为 PDF" keeps an electronic copy.
 */
import { Button, CircularProgress, Typography } from '@mui/material';
import PrintIcon from '@mui/icons-material/Print';
import { useQuery } from '@tanstack/react-query';
import { useDataProvider, useNotify, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';
import type { DocumentOffer, ProcessDetail } from '../api/types';
import { useApiMutation } from '../common/useApiMutation';

const FRAME_ID = 'print-frame';

/** Prints a page through a hidden frame (one at a time: the previous one is removed). */
export function printHtml(html: string, title: string): void {
  document.getElementById(FRAME_ID)?.remove();
  const frame = document.createElement('iframe');
  frame.id = FRAME_ID;
  frame.title = title;
  frame.setAttribute('data-testid', FRAME_ID);
  frame.setAttribute('aria-hidden', 'true');
  frame.style.cssText = 'position:absolute;width:0;height:0;border:0;visibility:hidden';
  frame.onload = () => {
    frame.contentWindow?.focus();
    frame.contentWindow?.print();
  };
  frame.srcdoc = html;
  document.body.appendChild(frame);
}

const testId = (d: DocumentOffer) => `print-${d.kind}${d.village ? `-${d.village}` : ''}`;

/** `kinds`: only these (the notice step card shows the notice's); `hint`: the "另存为 PDF" line. */
export function PrintButtons({ process, kinds, hint = true }: { process: ProcessDetail; kinds?: string[]; hint?: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<AppDataProvider>();
  const processId = String(process.id);
  // Refetched as the case moves on (a document is offered from a step on).
  const { data } = useQuery({
    queryKey: ['processDocuments', processId, process.state?.revision ?? 0],
    queryFn: () => dataProvider.getDocuments(processId),
    retry: false,
  });
  const print = useApiMutation({
    mutationFn: (d: DocumentOffer) => dataProvider.getDocumentHtml(processId, d),
    onSuccess: (html, d) => printHtml(html, d.title),
    onError: (e) => notify('fangfan.print.failed', { type: 'error', messageArgs: { message: e.message } }),
  });
  const documents = (data ?? []).filter((d) => !kinds || kinds.includes(d.kind));
  if (!documents.length) return null;
  const label = (d: DocumentOffer) => translate(`fangfan.print.${d.kind}`, { village: d.village ?? '', _: translate('fangfan.print.other', { title: d.title }) });
  const busy = (d: DocumentOffer) => print.isPending && print.variables?.kind === d.kind && print.variables?.village === d.village;
  return (
    <>
      {documents.map((d) => (
        <Button
          key={testId(d)}
          size="small"
          variant="outlined"
          startIcon={busy(d) ? <CircularProgress size={14} /> : <PrintIcon />}
          disabled={print.isPending}
          onClick={() => print.mutate(d)}
          data-testid={testId(d)}
        >
          {label(d)}
        </Button>
      ))}
      {hint && (
        <Typography variant="caption" color="text.secondary" sx={{ alignSelf: 'center' }} data-testid="print-hint">
          {translate('fangfan.print.hint')}
        </Typography>
      )}
    </>
  );
}

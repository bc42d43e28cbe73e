/**
 * Uploaded evidence as people see it: a thumbnail per file (a document icon for a PDF), and a click
 * opens it full size. The API wants the bearer token, so the images are fetched as blobs with it
 * (dataProvider.getFileBlob) and shown from object URLs; files are content-addressed, so a fetched
 * one is kept for the session.
 */
import { useEffect, useState } from 'react';
import { Button, ButtonBase, CircularProgress, Dialog, DialogActions, DialogContent, Stack, Typography } from '@mui/material';
import DescriptionIcon from '@mui/icons-material/Description';
import VisibilityOffIcon from '@mui/icons-material/VisibilityOff';
import { useDataProvider, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../api/dataProvider';

const cache = new Map<string, Promise<{ url: string; type: string }>>();

/** The object URL of a file or its thumbnail; `none` when it has no thumbnail or the caller may not read it. */
function useFileUrl(id: string, thumbnail: boolean, enabled = true): { url?: string; type?: string; state: 'loading' | 'ready' | 'none' } {
  const dataProvider = useDataProvider<AppDataProvider>();
  const [result, setResult] = useState<{ url?: string; type?: string; state: 'loading' | 'ready' | 'none' }>({ state: 'loading' });
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const key = `${id}:${thumbnail ? 't' : 'f'}`;
    let pending = cache.get(key);
    if (!pending) {
      pending = dataProvider.getFileBlob(id, thumbnail).then((blob) => ({ url: URL.createObjectURL(blob), type: blob.type }));
      cache.set(key, pending);
      pending.catch(() => cache.delete(key));
    }
    pending.then(
      ({ url, type }) => live && setResult({ url, type, state: 'ready' }),
      () => live && setResult({ state: 'none' }),
    );
    return () => {
      live = false;
    };
  }, [id, thumbnail, enabled, dataProvider]);
  return result;
}

/** What the API puts in place of a file the caller may not see (a health document: server/privacy.ts HIDDEN). */
export const HIDDEN_FILE = '***';

export function FileThumb({ id, name, size = 88 }: { id: string; name?: string; size?: number }) {
  const translate = useTranslate();
  const hidden = id === HIDDEN_FILE;
  const thumb = useFileUrl(id, true, !hidden);
  const [open, setOpen] = useState(false);
  if (hidden) {
    return (
      <Stack alignItems="center" justifyContent="center" data-testid="file-hidden" sx={{ width: size, height: size, borderRadius: 1, border: 1, borderColor: 'divider', bgcolor: 'action.hover', flex: 'none' }}>
        <VisibilityOffIcon color="action" />
        <Typography variant="caption">{translate('fangfan.files.hidden')}</Typography>
      </Stack>
    );
  }
  return (
    <>
      <ButtonBase
        onClick={() => setOpen(true)}
        aria-label={translate('fangfan.files.open', { name: name ?? translate('fangfan.files.file') })}
        data-testid="file-thumb"
        sx={{ width: size, height: size, borderRadius: 1, overflow: 'hidden', border: 1, borderColor: 'divider', bgcolor: 'action.hover', flex: 'none' }}
      >
        {thumb.state === 'loading' && <CircularProgress size={20} />}
        {thumb.state === 'ready' && <img src={thumb.url} alt={name ?? translate('fangfan.files.photo')} style={{ width: '100%', height: '100%', objectFit: 'cover' }} />}
        {thumb.state === 'none' && (
          <Stack alignItems="center" spacing={0.5} sx={{ px: 0.5 }}>
            <DescriptionIcon color="action" />
            <Typography variant="caption" noWrap sx={{ maxWidth: size - 8 }}>
              {name ?? translate('fangfan.files.document')}
            </Typography>
          </Stack>
        )}
      </ButtonBase>
      {open && <FullSize id={id} name={name} onClose={() => setOpen(false)} />}
    </>
  );
}

function FullSize({ id, name, onClose }: { id: string; name?: string; onClose: () => void }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<AppDataProvider>();
  const file = useFileUrl(id, false);
  // The new window gets a signed link (the API's, valid a few minutes): a blob URL dies with this page.
  const [link, setLink] = useState<string>();
  useEffect(() => {
    let live = true;
    dataProvider.getFileLink(id).then(
      (l) => live && setLink(l.url),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [id, dataProvider]);
  const image = file.type?.startsWith('image/');
  return (
    <Dialog open onClose={onClose} maxWidth="lg" fullWidth aria-label={name ?? translate('fangfan.files.file')}>
      <DialogContent sx={{ display: 'flex', justifyContent: 'center', minHeight: 200 }}>
        {file.state === 'loading' && <CircularProgress />}
        {file.state === 'none' && <Typography color="text.secondary">{translate('fangfan.files.unavailable')}</Typography>}
        {file.state === 'ready' && image && <img src={file.url} alt={name ?? translate('fangfan.files.photo')} data-testid="file-full" style={{ maxWidth: '100%', maxHeight: '80vh', objectFit: 'contain' }} />}
        {file.state === 'ready' && !image && (
          // A PDF opens in the browser's own viewer, in a new window (the console's policy frames nothing).
          <Stack alignItems="center" spacing={1} sx={{ py: 4 }}>
            <DescriptionIcon sx={{ fontSize: 64 }} color="action" />
            <Typography>{name ?? translate('fangfan.files.document')}</Typography>
          </Stack>
        )}
      </DialogContent>
      <DialogActions>
        {link && (
          <Button href={link} target="_blank" rel="noopener" data-testid="file-new-window">
            {translate('fangfan.files.new_window')}
          </Button>
        )}
        <Button onClick={onClose}>{translate('fangfan.files.close')}</Button>
      </DialogActions>
    </Dialog>
  );
}

export function FileThumbs({ ids, size }: { ids: string[]; size?: number }) {
  if (!ids.length) return null;
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }} data-testid="file-thumbs">
      {ids.map((id, i) => (
        <FileThumb key={`${id}:${i}`} id={id} size={size} />
      ))}
    </Stack>
  );
}

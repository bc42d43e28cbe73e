/**
 * Evidence on a step form (fields of `format: "file-id"`, or arrays of them): take a photo with the
 * camera or pick files (photos or PDF), each uploaded at once in chunks with a progress bar; after a drop
 * (a village connection) the upload goes on by itself from what the server kept, and when the
 * connection stays down it keeps its file and its place for 重试. The field holds the uploaded files' ids; the
 * thumbnails show what they are.
 */
import { useRef, useState } from 'react';
import { Alert, Box, Button, IconButton, LinearProgress, Stack, Typography } from '@mui/material';
import PhotoCameraIcon from '@mui/icons-material/PhotoCamera';
import AttachFileIcon from '@mui/icons-material/AttachFile';
import CloseIcon from '@mui/icons-material/Close';
import type { WidgetProps } from '@rjsf/utils';
import { useDataProvider, useTranslate } from 'react-admin';
import type { AppDataProvider } from '../../api/dataProvider';
import { FileThumb } from '../../files/FileThumbs';
import { UploadInterrupted } from '../../api/upload';

const ACCEPT = 'image/*,application/pdf';

interface Upload {
  key: number;
  file: File;
  sent: number;
  error?: string;
  /** The server's upload, to resume from its offset. */
  uploadId?: string;
}

export function FileIdsWidget(props: WidgetProps) {
  const { id, value, onChange, label, required, disabled, readonly, rawErrors, schema } = props;
  const translate = useTranslate();
  const dataProvider = useDataProvider<AppDataProvider>();
  const many = schema.type === 'array';
  const ids: string[] = many ? ((value as string[] | undefined) ?? []) : value ? [value as string] : [];
  // Uploads finish in any order: each adds to the ids as they are then, not as they were when it began.
  const current = useRef(ids);
  current.current = ids;
  const [uploads, setUploads] = useState<Upload[]>([]);
  const next = useRef(0);
  const camera = useRef<HTMLInputElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const names = useRef(new Map<string, string>());

  const set = (list: string[]) => {
    current.current = list;
    onChange(many ? (list.length ? list : undefined) : list[0]);
  };
  const patch = (key: number, change: Partial<Upload> | null) =>
    setUploads((all) => (change ? all.map((u) => (u.key === key ? { ...u, ...change } : u)) : all.filter((u) => u.key !== key)));

  const send = async (upload: Upload) => {
    patch(upload.key, { sent: 0, error: undefined });
    try {
      const file = await dataProvider.uploadFile(upload.file, { onProgress: (sent) => patch(upload.key, { sent }), ...(upload.uploadId ? { uploadId: upload.uploadId } : {}) });
      names.current.set(file.id, file.name);
      patch(upload.key, null);
      set(many ? [...current.current, file.id] : [file.id]);
    } catch (err) {
      const status = (err as { status?: number }).status;
      const message = status ? (err as Error).message : translate('fangfan.files.network');
      const uploadId = err instanceof UploadInterrupted ? err.uploadId : undefined;
      // 重试 resumes from the server's offset.
      patch(upload.key, { error: message, uploadId });
    }
  };

  const add = (files: FileList | null) => {
    const chosen = Array.from(files ?? []).slice(0, many ? undefined : 1);
    const added = chosen.map((file) => ({ key: next.current++, file, sent: 0 }));
    setUploads((all) => [...all, ...added]);
    for (const u of added) void send(u);
  };

  const off = disabled || readonly;
  return (
    <Box id={id} data-testid={`files-${id}`}>
      <Typography variant="body2" color={rawErrors?.length ? 'error' : 'text.secondary'} sx={{ mb: 0.5 }}>
        {label}
        {required ? ' *' : ''}
      </Typography>
      {ids.length > 0 && (
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mb: 1 }}>
          {ids.map((fileId) => (
            <Box key={fileId} sx={{ position: 'relative' }}>
              <FileThumb id={fileId} name={names.current.get(fileId)} />
              {!off && (
                <IconButton
                  size="small"
                  aria-label={translate('fangfan.files.remove')}
                  onClick={() => set(current.current.filter((x) => x !== fileId))}
                  sx={{ position: 'absolute', top: -8, right: -8, bgcolor: 'background.paper', boxShadow: 1, '&:hover': { bgcolor: 'background.paper' } }}
                >
                  <CloseIcon fontSize="small" />
                </IconButton>
              )}
            </Box>
          ))}
        </Stack>
      )}
      {uploads.map((u) => (
        <Box key={u.key} sx={{ mb: 1 }} data-testid="file-upload">
          <Typography variant="caption" noWrap component="div">
            {u.file.name}
          </Typography>
          {u.error ? (
            <Alert
              severity="warning"
              sx={{ py: 0 }}
              action={
                <Stack direction="row">
                  <Button size="small" onClick={() => void send(u)}>
                    {translate('fangfan.files.retry')}
                  </Button>
                  <Button size="small" onClick={() => patch(u.key, null)}>
                    {translate('fangfan.files.remove')}
                  </Button>
                </Stack>
              }
            >
              {translate('fangfan.files.failed')}：{u.error}
            </Alert>
          ) : (
            <LinearProgress variant="determinate" value={Math.round(u.sent * 100)} aria-label={translate('fangfan.files.uploading', { name: u.file.name })} />
          )}
        </Box>
      ))}
      {!off && (
        <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
          <Button variant="outlined" size="small" startIcon={<PhotoCameraIcon />} onClick={() => camera.current?.click()}>
            {translate('fangfan.files.take_photo')}
          </Button>
          <Button variant="outlined" size="small" startIcon={<AttachFileIcon />} onClick={() => picker.current?.click()}>
            {translate('fangfan.files.pick')}
          </Button>
          <input ref={camera} type="file" accept="image/*" capture="environment" multiple={many} hidden onChange={(e) => (add(e.target.files), (e.target.value = ''))} />
          <input ref={picker} type="file" accept={ACCEPT} multiple={many} hidden onChange={(e) => (add(e.target.files), (e.target.value = ''))} />
        </Stack>
      )}
    </Box>
  );
}

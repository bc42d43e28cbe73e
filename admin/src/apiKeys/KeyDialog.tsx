/** The new key, shown this once: copy it now, it cannot be shown again. */
import { useState } from 'react';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, IconButton, Tooltip, Typography } from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { useTranslate } from 'react-admin';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Plain http (no secure context): the old way.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

export function KeyDialog({ name, secret, onClose }: { name: string; secret: string; onClose: () => void }) {
  const translate = useTranslate();
  const [copied, setCopied] = useState<boolean>();
  return (
    <Dialog open fullWidth maxWidth="sm" data-testid="api-key-dialog" aria-labelledby="api-key-dialog-title">
      <DialogTitle id="api-key-dialog-title">{translate('fangfan.api_keys.created_title', { name })}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          {translate('fangfan.api_keys.once_warning')}
        </Alert>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, p: 1, bgcolor: 'action.hover', borderRadius: 1 }}>
          <Typography data-testid="api-key-secret" sx={{ fontFamily: 'monospace', wordBreak: 'break-all', flexGrow: 1, userSelect: 'all' }}>
            {secret}
          </Typography>
          <Tooltip title={translate('fangfan.api_keys.copy')}>
            <IconButton aria-label={translate('fangfan.api_keys.copy')} data-testid="copy-api-key" onClick={async () => setCopied(await copyText(secret))}>
              <ContentCopyIcon />
            </IconButton>
          </Tooltip>
        </Box>
        {copied !== undefined && (
          <Typography variant="body2" color={copied ? 'success.main' : 'error'} sx={{ mt: 1 }}>
            {translate(copied ? 'fangfan.api_keys.copied' : 'fangfan.api_keys.copy_failed')}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={onClose} data-testid="api-key-done">
          {translate('fangfan.api_keys.done')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

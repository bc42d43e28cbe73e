/** Who is logged in: role and area (town / village / department) beside the user menu, which shows the name. */
import { Box, Typography } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { useActor } from '../common/useActor';
import { roleTitle } from '../common/RoleLabel';

export function useUserLine() {
  const actor = useActor();
  const [locale] = useLocaleState();
  const translate = useTranslate();
  if (!actor) return undefined;
  const roles = actor.roles.map((r) => roleTitle(r, locale)).join('、');
  const place = actor.department ?? (actor.town ? `${actor.town}${actor.village ?? ''}` : translate('fangfan.user.district'));
  return { name: actor.name, roles, place };
}

export function UserSummary() {
  const line = useUserLine();
  if (!line) return null;
  return (
    <Box sx={{ display: { xs: 'none', sm: 'block' }, textAlign: 'right', mr: 1, lineHeight: 1.2 }} data-testid="user-summary">
      <Typography variant="body2" component="div">
        {line.roles} · {line.place}
      </Typography>
    </Box>
  );
}

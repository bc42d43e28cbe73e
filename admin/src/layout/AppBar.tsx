/** The app bar: page title, the user (name, role, area), the language switcher and the user menu. */
import { Box, ListItemText, MenuItem } from '@mui/material';
import { AppBar as RaAppBar, LoadingIndicator, LocalesMenuButton, Logout, TitlePortal, UserMenu, useGetIdentity, useTranslate } from 'react-admin';
import { UserSummary, useUserLine } from './UserSummary';

function UserInfoItem() {
  const line = useUserLine();
  if (!line) return null;
  return (
    <MenuItem disabled sx={{ opacity: '1 !important' }}>
      <ListItemText primary={line.name} secondary={`${line.roles} · ${line.place}`} />
    </MenuItem>
  );
}

export function AppBar() {
  const { identity } = useGetIdentity();
  const translate = useTranslate();
  return (
    <RaAppBar
      color="primary"
      // react-admin's own toolbar, with the loading spinner named for screen readers.
      toolbar={
        <>
          <LocalesMenuButton />
          <LoadingIndicator aria-label={translate('ra.page.loading')} />
        </>
      }
      userMenu={
        // Named with the name it shows (a screen reader hears what a sighted user reads).
        <UserMenu label={identity?.fullName ? translate('fangfan.user.menu', { name: identity.fullName }) : undefined}>
          <UserInfoItem />
          <Logout />
        </UserMenu>
      }
    >
      {/* Smaller on phones: a page's name of five or six characters beside the language and user buttons. */}
      <TitlePortal sx={{ fontSize: { xs: '1.05rem', sm: '1.25rem' }, flex: '1 1 0', minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} />
      <Box sx={{ flex: 1 }} />
      <UserSummary />
    </RaAppBar>
  );
}

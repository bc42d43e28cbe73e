/** The app bar: page title, the user (name, role, area), the language switcher and the user menu. */
import { Box, ListItemText, MenuItem } from '@mui/material';
import { AppBar as RaAppBar, Logout, TitlePortal, UserMenu } from 'react-admin';
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
  return (
    <RaAppBar
      color="primary"
      userMenu={
        <UserMenu>
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

/**
 * react-admin's responsive layout (a drawer menu on phones) with the console's app bar and menu; or,
 * while the user must replace a password an administrator chose, only the 修改密码 page (nothing else
 * would be answered: server/password-change.ts).
 */
import { useState, type ReactNode } from 'react';
import { Layout as RaLayout } from 'react-admin';
import { AppBar } from './AppBar';
import { Menu } from './Menu';
import { passwordChangeDue } from '../api/session';
import { ChangePasswordPage } from '../account/ChangePasswordPage';

export function Layout({ children }: { children: ReactNode }) {
  const [mustChange, setMustChange] = useState(passwordChangeDue);
  if (mustChange) return <ChangePasswordPage onDone={() => setMustChange(false)} />;
  return (
    <RaLayout appBar={AppBar} menu={Menu}>
      {children}
    </RaLayout>
  );
}

/**
 * A password an administrator chose (a new account, a reset: server/routes/user-accounts.ts) is known
 * to two people; its user must set their own at the next login. Until then the session may only do
 * that (`POST /api/auth/password`) or log out: every other call is refused with a 403 naming the rule
 * (server/auth.ts calls `refuseUntilPasswordChanged` for every authenticated request). The login's
 * answer says so too (`mustChangePassword`), so the console opens its 修改密码 page first.
 */
import { HttpError } from './errors';

/** What a session that must change its password may still call (paths from the app's mount point). */
const STILL_ALLOWED = new Set(['/api/auth/password', '/api/auth/logout']);

export const passwordChangeRequired = () =>
  new HttpError(403, 'password_change_required', '请先修改密码：管理员设置的密码须由本人改为自己的密码后才能继续使用 (change the password an administrator set before anything else)', [
    { field: 'password', rule: 'changeRequired', message: '须先修改管理员设置的密码 (the password an administrator set must be changed first)' },
  ]);

export function refuseUntilPasswordChanged(passwordChangeDue: boolean | undefined, path: string): void {
  if (passwordChangeDue && !STILL_ALLOWED.has(path)) throw passwordChangeRequired();
}

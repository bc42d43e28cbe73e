/**
 * Login against `POST <apiUrl>/auth/login`; the token is kept in the session (session.ts), where the
 * data provider finds it unless a host gives its own `getToken` (see http.ts). No `getPermissions`:
 * what a user may do comes from contracts/authz.ts with the identity's roles (and an immediately
 * resolving getPermissions makes react-admin 5 loop before the login page, #10764).
 */
import type { AuthProvider } from 'react-admin';
import { createHttpClient } from './http';
import { clearSession, getToken, getUser, setPasswordChangeDue, setSession, type SessionUser } from './session';

export function createAuthProvider({ apiUrl }: { apiUrl: string }): AuthProvider {
  const http = createHttpClient({ apiUrl });
  return {
    async login({ username, password }: { username: string; password: string }) {
      const { json } = await http.json(`${http.apiUrl}/auth/login`, { method: 'POST', body: JSON.stringify({ username, password }) });
      setSession(json.token as string, json.user as SessionUser);
      // An administrator chose the password: the console opens on 修改密码 (account/ChangePasswordPage.tsx).
      setPasswordChangeDue(json.mustChangePassword === true);
    },
    async logout() {
      if (getToken()) {
        try {
          await http.json(`${http.apiUrl}/auth/logout`, { method: 'POST' });
        } catch {
          /* the session ends here either way */
        }
      }
      clearSession();
    },
    async checkAuth() {
      if (!getToken()) throw new Error('ra.auth.auth_check_error');
    },
    async checkError(error: { status?: number }) {
      // Only an unknown or expired token logs out; a 403 is a refusal shown where it happened.
      if (error?.status === 401) {
        clearSession();
        throw error;
      }
    },
    async getIdentity() {
      const user = getUser();
      if (!user) throw new Error('ra.auth.auth_check_error');
      return { ...user, fullName: user.name };
    },
  };
}

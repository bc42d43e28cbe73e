/** The logged-in session (bearer token and user), kept in localStorage so a reload stays logged in. */
import type { Role } from '../../../contracts/roles';

export interface SessionUser {
  id: string;
  name: string;
  roles: Role[];
  town?: string;
  village?: string;
  department?: string;
}

const TOKEN_KEY = 'fangfan.token';
const USER_KEY = 'fangfan.user';
/** Set when the login said an administrator chose the password (server/password-change.ts). */
const PASSWORD_CHANGE_KEY = 'fangfan.mustChangePassword';

const storage = (): Storage | undefined => (typeof localStorage === 'undefined' ? undefined : localStorage);

export function getToken(): string | undefined {
  return storage()?.getItem(TOKEN_KEY) ?? undefined;
}

export function getUser(): SessionUser | undefined {
  const text = storage()?.getItem(USER_KEY);
  if (!text) return undefined;
  try {
    return JSON.parse(text) as SessionUser;
  } catch {
    return undefined;
  }
}

export function setSession(token: string, user: SessionUser): void {
  storage()?.setItem(TOKEN_KEY, token);
  storage()?.setItem(USER_KEY, JSON.stringify(user));
}

export function clearSession(): void {
  storage()?.removeItem(TOKEN_KEY);
  storage()?.removeItem(USER_KEY);
  storage()?.removeItem(PASSWORD_CHANGE_KEY);
}

/** Whether the user must set their own password before anything else (the console shows only that page). */
export const passwordChangeDue = (): boolean => storage()?.getItem(PASSWORD_CHANGE_KEY) === 'true';

export function setPasswordChangeDue(due: boolean): void {
  if (due) storage()?.setItem(PASSWORD_CHANGE_KEY, 'true');
  else storage()?.removeItem(PASSWORD_CHANGE_KEY);
}

/** The user as `contracts/authz.ts` expects an actor. */
export function actorOf(user: SessionUser) {
  return { kind: 'user' as const, ...user };
}

/** The logged-in user as an actor for contracts/authz.ts (undefined before login). */
import { useGetIdentity } from 'react-admin';
import type { SessionUser } from '../api/session';
import { getUser } from '../api/session';

export function useActor() {
  const { data } = useGetIdentity();
  const user = (data as unknown as SessionUser | undefined) ?? getUser();
  return user ? { kind: 'user' as const, ...user, roles: user.roles ?? [] } : undefined;
}

/** A role's name in the console's language (from contracts/roles.ts). */
import { useLocaleState } from 'react-admin';
import { ROLE_TITLES, type Role } from '../../../contracts/roles';
import { pick } from '../lib/text';

export function roleTitle(role: string, locale: string): string {
  return ROLE_TITLES[role as Role] ? pick(ROLE_TITLES[role as Role], locale) : role;
}

export function RoleLabel({ role }: { role?: string }) {
  const [locale] = useLocaleState();
  return <>{role ? roleTitle(role, locale) : ''}</>;
}

/**
 * A page loaded when it is first opened (React.lazy), so that the login page and the first screen
 * download little on a village's slow network: the charts and the generated forms come with the pages
 * that use them. react-admin's layout shows its loading indicator meanwhile (its own Suspense).
 */
import { lazy, type ComponentType } from 'react';

export function lazyPage<M extends Record<string, unknown>>(load: () => Promise<M>, name: keyof M & string): ComponentType {
  return lazy(() => load().then((m) => ({ default: m[name] as ComponentType })));
}

/**
 * The console: fangfan's react-admin plugin (plugin.tsx: resources, pages, data and auth providers)
 * in an `<Admin>` of its own, with its layout and theme, Chinese by default. Resources: processes
 * (cases), steps, households, and for supervisors and admins users, villages, API keys, dead letters and
 * the audit log; the home page is the statistics dashboard for supervisors and town officers and the
 * inbox for everyone else; the overdue dashboard is a custom route.
 */
import { Admin } from 'react-admin';
import { QueryClient } from '@tanstack/react-query';
import { i18nProvider } from './i18n';
import { Layout } from './layout/Layout';
import { theme } from './layout/theme';
import { createFangfanAuthProvider, createFangfanDataProvider, fangfanAdmin, FangfanHome } from './plugin';

/** Where the standalone server mounts the API (server/app.ts), beside the console at `/`. */
const API_URL = '/api';
const dataProvider = createFangfanDataProvider({ apiUrl: API_URL });
const authProvider = createFangfanAuthProvider({ apiUrl: API_URL });

/**
 * A refusal (4xx) or an auth check is an answer, not a glitch: retry (twice) only what the server
 * (5xx) or the network (fetch's TypeError) failed.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => {
        const status = (error as { status?: number }).status;
        return count < 2 && (error instanceof TypeError || (typeof status === 'number' && status >= 500));
      },
    },
  },
});

export function App() {
  return (
    <Admin
      title="防返贫监测帮扶"
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      queryClient={queryClient}
      layout={Layout}
      dashboard={FangfanHome}
      theme={theme}
      requireAuth
      disableTelemetry
    >
      {fangfanAdmin()}
    </Admin>
  );
}

/**
 * The console: react-admin with the stock simple-rest provider (plus custom methods), login against
 * the API, Chinese by default. Resources: processes (cases), steps, households, and for supervisors and
 * admins users, villages, API keys, dead letters and the audit log; the inbox is the home page; the overdue
 * dashboard is a custom route.
 */
import { Admin, CustomRoutes, Resource } from 'react-admin';
import { QueryClient } from '@tanstack/react-query';
import { Route } from 'react-router-dom';
import { authProvider } from './api/authProvider';
import { createDataProvider } from './api/dataProvider';
import { i18nProvider } from './i18n';
import { Layout } from './layout/Layout';
import { theme } from './layout/theme';
import { Inbox } from './inbox/Inbox';
import processes from './processes';
import steps from './steps';
import households from './households';
import apiKeys from './apiKeys';
import deadLetters from './deadLetters';
import auditLog from './audit';
import users from './users';
import villages from './villages';
import { HouseholdImport } from './households/HouseholdImport';
import { OverdueDashboard } from './overdue/OverdueDashboard';

const dataProvider = createDataProvider();

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
      dashboard={Inbox}
      theme={theme}
      requireAuth
      disableTelemetry
    >
      <Resource name="processes" {...processes} />
      <Resource name="steps" {...steps} />
      <Resource name="households" {...households}>
        <Route path="import" element={<HouseholdImport />} />
      </Resource>
      <Resource name="users" {...users} />
      <Resource name="api-keys" {...apiKeys} />
      <Resource name="dead-letters" {...deadLetters} />
      <Resource name="audit" {...auditLog} />
      <Resource name="villages" {...villages} />
      <CustomRoutes>
        <Route path="/overdue" element={<OverdueDashboard />} />
      </CustomRoutes>
    </Admin>
  );
}

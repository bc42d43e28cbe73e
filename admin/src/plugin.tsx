/**
 * The console as a react-admin plugin, the counterpart of the API's Fastify plugin (server/app.ts): a
 * host platform's own `<Admin>` includes fangfan's resources and pages, talks to the fangfan API
 * wherever the host mounted it, and merges fangfan's messages into its i18nProvider. The console
 * itself (App.tsx) is built on this module:
 *
 *   const fangfan = createFangfanDataProvider({ apiUrl: '/fangfan/api' });
 *   <Admin dataProvider={withFangfanDataProvider(hostDataProvider, fangfan)} i18nProvider={polyglotI18nProvider((l) => withFangfanMessages(hostMessages[l], l), 'zh')}>
 *     <Resource name="projects" list={ProjectList} />
 *     {fangfanAdmin()}
 *   </Admin>
 *
 * The pages read the user's roles and place from the authProvider's `getIdentity()` (`roles`, `town`,
 * `village`, `department`, as fangfan's own auth provider returns them).
 */
import { CustomRoutes, Resource, type DataProvider, type ResourceProps, type StringMap, type TranslationMessages } from 'react-admin';
import { Route } from 'react-router-dom';
import type { AppDataProvider } from './api/dataProvider';
import { en, enApp } from './i18n/en';
import { zh, zhApp, type AppMessages } from './i18n/zh';
import { Home } from './dashboard/Home';
import { lazyPage } from './lazyPage';
import processes from './processes';
import steps from './steps';
import households from './households';

import users from './users';
import apiKeys from './apiKeys';
import deadLetters from './deadLetters';
import auditLog from './audit';
import villages from './villages';
import policyVersions from './policy';
import dataExchange from './dataExchange';
import processDefinitions from './designer';

// Each page is loaded when first opened (lazyPage.ts), so the login page downloads little.
const Inbox = lazyPage(() => import('./inbox/Inbox'), 'Inbox');
const OverdueDashboard = lazyPage(() => import('./overdue/OverdueDashboard'), 'OverdueDashboard');
const Dashboard = lazyPage(() => import('./dashboard/Dashboard'), 'Dashboard');
const HouseholdImport = lazyPage(() => import('./households/HouseholdImport'), 'HouseholdImport');
const CalendarPage = lazyPage(() => import('./calendar/CalendarPage'), 'CalendarPage');
const CampaignProgressPage = lazyPage(() => import('./campaign/CampaignProgress'), 'CampaignProgressPage');
const SupervisionPage = lazyPage(() => import('./supervision/SupervisionPage'), 'SupervisionPage');

export { createDataProvider as createFangfanDataProvider } from './api/dataProvider';
export type { AppDataProvider as FangfanDataProvider } from './api/dataProvider';
export { createAuthProvider as createFangfanAuthProvider } from './api/authProvider';
export type { ApiConnection, TokenSource } from './api/http';
export { Inbox as FangfanInbox, Home as FangfanHome };

/**
 * Every resource of the console, named as the API's paths are (`<apiUrl>/<name>`). The administration
 * pages are listed too; the console's menu shows them by role (contracts/authz.ts), and the API refuses
 * anyone else.
 */
export const fangfanResources: ResourceProps[] = [
  { name: 'processes', ...processes },
  { name: 'steps', ...steps },
  { name: 'households', ...households, children: <Route path="import" element={<HouseholdImport />} /> },
  { name: 'users', ...users },
  { name: 'api-keys', ...apiKeys },
  { name: 'dead-letters', ...deadLetters },
  { name: 'audit', ...auditLog },
  { name: 'villages', ...villages },
  { name: 'policy-versions', ...policyVersions },
  { name: 'data-exchange-batches', ...dataExchange },
  { name: 'process-definitions', ...processDefinitions },
];

const FANGFAN_RESOURCE_NAMES = new Set(fangfanResources.map((r) => r.name));

export const isFangfanResource = (resource: string) => FANGFAN_RESOURCE_NAMES.has(resource);

/**
 * The children to put in an `<Admin>`: the resources, 我的待办 at `/inbox`, 统计概览 at `/dashboard`
 * (`FangfanHome`, the console's home page, shows one or the other by role), 逾期督办 at `/overdue`, 大走访进度 at `/campaign` and 节假日安排 at `/calendar`. A fragment, because `<Admin>` reads its resources from its children
 * and looks into fragments but not into components.
 */
export function fangfanAdmin() {
  return (
    <>
      {fangfanResources.map((r) => (
        <Resource key={r.name} {...r} />
      ))}
      <CustomRoutes>
        <Route path="/inbox" element={<Inbox />} />
        <Route path="/dashboard" element={<Dashboard />} />
        <Route path="/overdue" element={<OverdueDashboard />} />
        <Route path="/calendar" element={<CalendarPage />} />
        <Route path="/campaign" element={<CampaignProgressPage />} />
        <Route path="/supervision" element={<SupervisionPage />} />
      </CustomRoutes>
    </>
  );
}

/**
 * One data provider for a host's resources and fangfan's: the CRUD methods go by resource name, the
 * custom ones (start a case, complete a step, …) to fangfan. Not react-admin's `combineDataProviders`:
 * it routes every method by its first argument, and fangfan's custom methods do not take a resource.
 */
export function withFangfanDataProvider(host: DataProvider, fangfan: AppDataProvider): AppDataProvider {
  const to = (resource: string): DataProvider => (isFangfanResource(resource) ? fangfan : host);
  return {
    ...host,
    ...fangfan,
    getList: (resource, params) => to(resource).getList(resource, params),
    getOne: (resource, params) => to(resource).getOne(resource, params),
    getMany: (resource, params) => to(resource).getMany(resource, params),
    getManyReference: (resource, params) => to(resource).getManyReference(resource, params),
    create: (resource, params) => to(resource).create(resource, params),
    update: (resource, params) => to(resource).update(resource, params),
    updateMany: (resource, params) => to(resource).updateMany(resource, params),
    delete: (resource, params) => to(resource).delete(resource, params),
    deleteMany: (resource, params) => to(resource).deleteMany(resource, params),
  };
}

export type FangfanLocale = 'zh' | 'en';

/** The console's messages, Chinese (the default) and English, each with react-admin's own. */
export const fangfanMessages: Record<FangfanLocale, TranslationMessages> = { zh, en };

/** The console's own messages, without react-admin's. */
const OWN_MESSAGES: Record<FangfanLocale, AppMessages> = { zh: zhApp, en: enApp };

/**
 * A host's messages with fangfan's added: fangfan's `fangfan.*` keys, and its resources' names and
 * fields beside the host's resources; for any other key the host's message wins, and react-admin's own
 * come from fangfan's when the host has none (Chinese ones for 'zh').
 */
export function withFangfanMessages(host: StringMap, locale: FangfanLocale): TranslationMessages {
  const own = OWN_MESSAGES[locale];
  const hostResources = typeof host.resources === 'object' ? host.resources : {};
  return { ...fangfanMessages[locale], ...host, fangfan: own.fangfan, resources: { ...hostResources, ...own.resources } };
}

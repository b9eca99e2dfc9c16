/**
 * The staff app's routes (react-router, data mode): one layout route (the
 * shell: sign-in state, header, navigation, live events) and a page per
 * path, each guarded by the capability that opens it. The server serves the
 * app for every section's path (src/web/staff-app.routes.ts, STAFF_APP_PATHS).
 *
 * To add a page: add an entry to SECTIONS (for a navigation entry) and a
 * route under `children` wrapped in <RequireCapability>; add its top-level
 * path to STAFF_APP_PATHS on the server. See web/README.md.
 */
import type { RouteObject } from 'react-router';
import { CallDetailPage } from './calls/CallDetailPage';
import { CustomerProfilePage } from './customers/CustomerProfilePage';
import { CustomersPage } from './customers/CustomersPage';
import { MessagesSection } from './messages/MessagesSection';
import { AppLayout } from './shell/AppLayout';
import { RequireCapability } from './shell/RequireCapability';
import { WorkOrderPage } from './work-orders/WorkOrderPage';
import { WorkOrdersPage } from './work-orders/WorkOrdersPage';
import { SettingsRoute } from './settings/SettingsRoute';

/** A navigation entry: its path, label, the capability that shows it; `hidden` keeps it out of the bar. */
export type Section = { path: string; label: string; capability: string; hidden?: boolean };

export const SECTIONS: Section[] = [
  { path: '/messages', label: 'Messages', capability: 'messages.view' },
  { path: '/customers', label: 'Customers', capability: 'messages.view' },
  { path: '/work-orders', label: 'Work orders', capability: 'messages.view' },
  { path: '/settings', label: 'Settings', capability: 'settings.communication.manage' },
];

/** The header's title and subtitle per route (`handle`). */
export type RouteHandle = { title: string; subtitle?: string };

const guard = (capability: string, page: React.ReactNode) => <RequireCapability capability={capability}>{page}</RequireCapability>;

export const routes: RouteObject[] = [
  {
    element: <AppLayout />,
    children: [
      { path: '/messages/*', element: guard('messages.view', <MessagesSection />), handle: { title: 'Messages', subtitle: 'Customer conversations' } },
      { path: '/customers', element: guard('messages.view', <CustomersPage />), handle: { title: 'Customers', subtitle: 'Directory' } },
      { path: '/customers/:id', element: guard('messages.view', <CustomerProfilePage />), handle: { title: 'Customers', subtitle: 'Profile' } },
      { path: '/calls/:id', element: guard('calls.view', <CallDetailPage />), handle: { title: 'Messages', subtitle: 'Call' } },
      { path: '/work-orders', element: guard('messages.view', <WorkOrdersPage />), handle: { title: 'Work orders' } },
      { path: '/work-orders/:id/:tab?', element: guard('messages.view', <WorkOrderPage />), handle: { title: 'Work orders', subtitle: 'Work order' } },
      { path: '/settings/*', element: guard('messages.view', <SettingsRoute />), handle: { title: 'Settings', subtitle: 'Your garage' } },
      { path: '*', element: guard('messages.view', <MessagesSection />), handle: { title: 'Messages', subtitle: 'Customer conversations' } },
    ],
  },
];

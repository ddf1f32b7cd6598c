// Every route of the app. Pages load on demand (their own chunk) so the first load stays small.
// The office (CLERK, COMMISSAIRE) and operator workspaces plug in as `office/*` and `operator/*`.
import { createBrowserRouter, type RouteObject } from 'react-router';

import { NotFoundPage } from './shell/NotFoundPage';
import { PublicLayout } from './shell/PublicLayout';
import { RequireViewer } from './shell/RequireViewer';
import { Shell } from './shell/Shell';

type Loader = () => Promise<{ Component: React.ComponentType }>;
const page = (load: () => Promise<Record<string, unknown>>, name: string): Loader => async () => ({
  Component: (await load())[name] as React.ComponentType,
});

export const routes: RouteObject[] = [
  {
    Component: PublicLayout,
    children: [
      { path: 'login', lazy: page(() => import('./auth/LogInPage'), 'LogInPage') },
      { path: 'signup', lazy: page(() => import('./auth/SignUpPage'), 'SignUpPage') },
      { path: 'verify-email', lazy: page(() => import('./auth/VerifyEmailPage'), 'VerifyEmailPage') },
      { path: 'forgot-password', lazy: page(() => import('./auth/ForgotPasswordPage'), 'ForgotPasswordPage') },
      { path: 'reset-password', lazy: page(() => import('./auth/ResetPasswordPage'), 'ResetPasswordPage') },
      { path: 'activate', lazy: page(() => import('./auth/ActivatePage'), 'ActivatePage') },
    ],
  },
  {
    Component: RequireViewer,
    children: [
      {
        Component: Shell,
        children: [
          { index: true, lazy: page(() => import('./dashboard/DashboardPage'), 'DashboardPage') },
          { path: 'deposits/new', handle: { permission: 'deposits:create' }, lazy: page(() => import('./deposits/NewDepositPage'), 'NewDepositPage') },
          { path: 'deposits', lazy: page(() => import('./deposits/ArchivePage'), 'ArchivePage') },
          { path: 'deposits/:id', lazy: page(() => import('./deposits/DepositPage'), 'DepositPage') },
          { path: 'credits', handle: { permission: 'credits:buy' }, lazy: page(() => import('./billing/CreditsPage'), 'CreditsPage') },
          { path: 'billing/completed', handle: { permission: 'credits:buy' }, lazy: page(() => import('./billing/CheckoutReturnPage'), 'CheckoutCompletedPage') },
          { path: 'billing/cancelled', handle: { permission: 'credits:buy' }, lazy: page(() => import('./billing/CheckoutReturnPage'), 'CheckoutCancelledPage') },
          { path: 'onsite', handle: { permission: 'constat:order' }, lazy: page(() => import('./deposits/OnSiteRequestsPage'), 'OnSiteRequestsPage') },
          { path: 'members', handle: { permission: 'members:invite', unless: 'review:deposits' }, lazy: page(() => import('./members/MembersPage'), 'MembersPage') },
          { path: 'organisation', handle: { permission: 'organisation:update' }, lazy: page(() => import('./organisation/OrganisationPage'), 'OrganisationPage') },
          { path: 'account', lazy: page(() => import('./account/AccountPage'), 'AccountPage') },
          { path: 'notifications', lazy: page(() => import('./notifications/NotificationsPage'), 'NotificationsPage') },
          { path: 'office/*', handle: { permission: 'review:deposits' }, lazy: page(() => import('./office'), 'OfficeWorkspace') },
          { path: 'operator/*', handle: { permission: 'platform:operate' }, lazy: page(() => import('./operator'), 'OperatorConsole') },
          { path: '*', Component: NotFoundPage },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes, { basename: '/app' });

// What the navigation offers, by permission (the API's list for the viewer's role).
// A workspace (office, operator) adds its entries here; the shell shows what the viewer may use.

export interface NavEntry {
  to: string;
  label: string; // i18n key
  permission: string;
  /** Not offered to a role holding this permission (an office manages its clerks in its own settings). */
  unless?: string;
  end?: boolean;
}

export const NAVIGATION: NavEntry[] = [
  { to: '/', label: 'nav.dashboard', permission: 'deposits:read_own', end: true },
  { to: '/deposits/new', label: 'nav.newDeposit', permission: 'deposits:create' },
  { to: '/deposits', label: 'nav.archive', permission: 'deposits:read_own', end: false },
  { to: '/credits', label: 'nav.credits', permission: 'credits:buy' },
  { to: '/onsite', label: 'nav.onSite', permission: 'constat:order' },
  { to: '/members', label: 'nav.members', permission: 'members:invite', unless: 'review:deposits' },
  { to: '/organisation', label: 'nav.organisation', permission: 'organisation:update' },
  { to: '/office', label: 'nav.office', permission: 'review:deposits' },
  { to: '/operator', label: 'nav.operator', permission: 'platform:operate' },
  { to: '/account', label: 'nav.account', permission: 'organisation:read' },
];

export function entriesFor(permissions: readonly string[]): NavEntry[] {
  return NAVIGATION.filter(
    (entry) => permissions.includes(entry.permission) && !(entry.unless && permissions.includes(entry.unless)),
  );
}

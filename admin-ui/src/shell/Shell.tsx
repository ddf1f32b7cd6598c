// The signed-in layout: header (organisation, balance, language, user menu) and role navigation.
import { AppShell, Badge, Burger, Group, Menu, NavLink, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useMatches, useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';

import { graphql } from '../gql';
import { NotificationBell } from '../notifications/NotificationBell';
import { BALANCE_QUERY, useSession, useViewer } from '../lib/viewer';
import { LanguageSwitch } from './LanguageSwitch';
import { entriesFor, type NavEntry } from './navigation';
import { Loading } from './Loading';
import { NotFoundPage } from './NotFoundPage';

const LOG_OUT = graphql(`
  mutation LogOut {
    logOut {
      __typename
    }
  }
`);

function isActive(entry: NavEntry, pathname: string): boolean {
  if (entry.end || entry.to === '/') return pathname === entry.to;
  if (entry.to === '/deposits') return pathname.startsWith('/deposits') && !pathname.startsWith('/deposits/new');
  return pathname === entry.to || pathname.startsWith(`${entry.to}/`);
}

export function Shell() {
  const { t } = useTranslation();
  const viewer = useViewer();
  const { reset } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [opened, { toggle, close }] = useDisclosure();
  // Offices and the operator hold no credits: no balance pill (nor its query) for them.
  const holdsCredits = viewer.organisation.kind !== 'BAILIFF_OFFICE' && viewer.organisation.kind !== 'PLATFORM';
  const [{ data: balance }, refetchBalance] = useQuery({ query: BALANCE_QUERY, requestPolicy: 'cache-and-network', pause: !holdsCredits });
  // Credits also move by others' hands (an admin's transfer): look again on each page change.
  useEffect(() => {
    if (holdsCredits) refetchBalance({ requestPolicy: 'network-only' });
  }, [pathname, refetchBalance, holdsCredits]);
  const [, logOut] = useMutation(LOG_OUT);
  // A page the role may not use is answered like an unknown one (the API refuses it anyway).
  const handles = useMatches().map((match) => (match.handle ?? {}) as { permission?: string; unless?: string });
  const allowed = handles.every(
    ({ permission, unless }) =>
      (!permission || viewer.permissions.includes(permission)) && !(unless && viewer.permissions.includes(unless)),
  );


  async function signOut() {
    await logOut({});
    await navigate('/login?loggedOut=1');
    reset();
  }

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a href="#main" className="skip-link">
        {t('app.skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.openMenu')} />
            <Text fw={700} size="lg" c="indigo.9">
              {t('app.name')}
            </Text>
            <Text size="sm" c="dark.6" visibleFrom="xs" truncate="end" maw={220} data-testid="organisation-name">
              {viewer.organisation.name}
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {holdsCredits && balance && (
              <Badge size="lg" variant="outline" color="indigo.9" tt="none" visibleFrom="sm" data-testid="balance" title={t('header.balanceLabel')}>
                <VisuallyHidden>{t('header.balanceLabel')}: </VisuallyHidden>
                {t('header.balance', { count: balance.creditBalance })}
              </Badge>
            )}
            <NotificationBell />
            <LanguageSwitch />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton aria-label={`${viewer.user.fullName || viewer.user.email} — ${t("header.userMenu")}`} className="user-button">
                  <Text size="sm" fw={500} truncate="end" maw={{ base: 90, sm: 160 }}>
                    {viewer.user.fullName || viewer.user.email}
                  </Text>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t('header.signedInAs', { email: viewer.user.email })}</Menu.Label>
                <Menu.Label>{t(`roles.${viewer.role}`)}</Menu.Label>
                <Menu.Item onClick={() => void navigate('/account')}>{t('nav.account')}</Menu.Item>
                <Menu.Item color="red.9" onClick={() => void signOut()}>
                  {t('header.logOut')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t('nav.label')}>
        {entriesFor(viewer.permissions).map((entry) => (
          <NavLink
            key={entry.to}
            component={Link}
            variant="filled"
            color="indigo.9"
            to={entry.to}
            label={t(entry.label)}
            active={isActive(entry, pathname)}
            aria-current={isActive(entry, pathname) ? 'page' : undefined}
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          {allowed ? <Outlet /> : <NotFoundPage />}
        </Suspense>
      </AppShell.Main>
    </AppShell>
  );
}

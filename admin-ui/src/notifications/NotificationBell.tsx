// The header's bell: how many notifications are unread, asked again every 30 s and on each page.
import { ActionIcon, Indicator, VisuallyHidden } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useQuery } from 'urql';

import { UNREAD_COUNT } from './queries';

export const POLL_MS = 30_000;

export function NotificationBell() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const [{ data }, refetch] = useQuery({ query: UNREAD_COUNT, requestPolicy: 'cache-and-network' });
  useEffect(() => {
    refetch({ requestPolicy: 'network-only' });
    const timer = window.setInterval(() => refetch({ requestPolicy: 'network-only' }), POLL_MS);
    return () => window.clearInterval(timer);
  }, [pathname, refetch]);
  const unread = data?.unreadNotificationCount ?? 0;
  const label = t('notifications.bell', { count: unread });
  return (
    <Indicator label={unread > 99 ? '99+' : unread} size={18} color="red.8" disabled={unread === 0} offset={4} data-testid="notification-count">
      <ActionIcon component={Link} to="/notifications" variant="subtle" color="indigo.9" size="lg" aria-label={label} title={label}>
        <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
          <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
          <path d="M13.73 21a2 2 0 0 1-3.46 0" />
        </svg>
        <VisuallyHidden>{label}</VisuallyHidden>
      </ActionIcon>
    </Indicator>
  );
}

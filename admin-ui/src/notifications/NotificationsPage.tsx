// The inbox: what happened while you were away, newest first, with a link to each object.
import { Anchor, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';

import { formatShort } from '../lib/dates';
import { useAction } from '../lib/useAction';
import { Loading } from '../shell/Loading';
import { EmptyState, QueryError } from '../shell/States';
import { MARK_ALL_READ, MARK_READ, NOTIFICATIONS, UNREAD_COUNT } from './queries';

const PAGE = 20;

export function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const [first, setFirst] = useState(PAGE);
  const [{ data, fetching, error }, refetch] = useQuery({ query: NOTIFICATIONS, variables: { first }, requestPolicy: 'cache-and-network' });
  const [, markRead] = useMutation(MARK_READ);
  const [, markAll] = useMutation(MARK_ALL_READ);
  const [, recount] = useQuery({ query: UNREAD_COUNT, pause: true });
  const { run, busy } = useAction();

  async function refresh() {
    refetch({ requestPolicy: 'network-only' });
    recount({ requestPolicy: 'network-only' });
  }

  async function read(id: string) {
    const outcome = await run(() => markRead({ id }), { success: 'NotificationReadPayload', pick: (d) => d.markNotificationRead });
    if (outcome.ok) await refresh();
  }

  async function readAll() {
    const outcome = await run(() => markAll({}), {
      success: 'AllNotificationsReadPayload',
      pick: (d) => d.markAllNotificationsRead,
      done: t('notifications.allMarked'),
    });
    if (outcome.ok) await refresh();
  }

  if (error && !data) return <QueryError error={error} retry={() => void refresh()} />;
  if (!data) return <Loading />;
  const edges = data.notifications.edges;
  return (
    <Stack maw={820}>
      <Group justify="space-between">
        <Title order={1}>{t('notifications.title')}</Title>
        <Button variant="light" onClick={() => void readAll()} loading={busy} disabled={data.unreadNotificationCount === 0}>
          {t('notifications.markAll')}
        </Button>
      </Group>
      <Text c="dark.6" data-testid="unread-summary">
        {t('notifications.unread', { count: data.unreadNotificationCount })}
      </Text>
      {edges.length === 0 ? (
        <EmptyState>{t('notifications.empty')}</EmptyState>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('notifications.title')}>
          {edges.map(({ node }) => (
            <Card key={node.id} withBorder component="li" bg={node.read ? undefined : 'indigo.0'} data-testid="notification" data-read={node.read}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <Stack gap={4}>
                  <Group gap="xs">
                    {!node.read && (
                      <Badge size="xs" color="indigo.9">
                        {t('notifications.new')}
                      </Badge>
                    )}
                    <Text size="xs" c="dark.6">
                      {formatShort(node.createdAt, i18n.language)}
                    </Text>
                  </Group>
                  {node.link ? (
                    <Anchor component={Link} to={node.link} fw={node.read ? 400 : 600} onClick={() => void (node.read ? undefined : read(node.id))}>
                      {node.title}
                    </Anchor>
                  ) : (
                    <Text fw={node.read ? 400 : 600}>{node.title}</Text>
                  )}
                </Stack>
                {!node.read && (
                  <Button size="xs" variant="subtle" onClick={() => void read(node.id)} aria-label={`${t('notifications.markRead')} — ${node.title}`}>
                    {t('notifications.markRead')}
                  </Button>
                )}
              </Group>
            </Card>
          ))}
        </Stack>
      )}
      {data.notifications.pageInfo.hasNextPage && (
        <Group>
          <Button variant="default" loading={fetching} onClick={() => setFirst(first + PAGE)}>
            {t('notifications.more')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

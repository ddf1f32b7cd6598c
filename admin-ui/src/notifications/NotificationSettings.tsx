// The account page's notification section: each kind × channel, and push on this browser.
import { Alert, Button, Card, Group, Stack, Switch, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';

import type { NotificationChannel } from '../gql/graphql';
import { useAction } from '../lib/useAction';
import { CHOICES, PUSH_ON, REGISTER_PUSH, REMOVE_PUSH, SET_CHOICE } from './queries';
import { currentEndpoint, pushSupported, subscribeThisBrowser, unsubscribeThisBrowser } from './push';

const CHANNELS: NotificationChannel[] = ['INBOX', 'EMAIL', 'PUSH'];

export function NotificationSettings() {
  const { t } = useTranslation();
  const [{ data }, refetch] = useQuery({ query: CHOICES, requestPolicy: 'cache-and-network' });
  const [, setChoice] = useMutation(SET_CHOICE);
  const [, register] = useMutation(REGISTER_PUSH);
  const [, remove] = useMutation(REMOVE_PUSH);
  const [, pushOn] = useMutation(PUSH_ON);
  const { run, busy } = useAction();
  const [here, setHere] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    void currentEndpoint().then(setHere);
  }, []);

  if (!data) return null;
  const kinds = [...new Set(data.notificationChoices.map((c) => c.kind))];
  const choice = (kind: string, channel: NotificationChannel) => data.notificationChoices.find((c) => c.kind === kind && c.channel === channel);

  async function toggle(kind: string, channel: NotificationChannel, value: boolean) {
    await run(() => setChoice({ kind, channel, enabled: value }), {
      success: 'NotificationChoicePayload',
      pick: (d) => d.setNotificationPreference,
      done: t('account.saved'),
    });
    refetch({ requestPolicy: 'network-only' });
  }

  async function enablePush() {
    setProblem(null);
    if (!data?.webPushPublicKey) return;
    const outcome = await subscribeThisBrowser(data.webPushPublicKey);
    if (!outcome.ok) {
      setProblem(t(`notifications.push.${outcome.reason}`));
      return;
    }
    const saved = await run(() => register(outcome.subscription), {
      success: 'PushSubscriptionPayload',
      pick: (d) => d.registerPushSubscription,
    });
    if (saved.ok) {
      await run(() => pushOn({}), { success: 'NotificationPreferences', pick: (d) => d.updateNotificationPreferences, done: t('notifications.push.enabled') });
      setHere(outcome.subscription.endpoint);
      refetch({ requestPolicy: 'network-only' });
    }
  }

  async function disablePush() {
    const endpoint = await unsubscribeThisBrowser();
    if (endpoint) {
      await run(() => remove({ endpoint }), { success: 'PushSubscriptionRemoved', pick: (d) => d.removePushSubscription, done: t('notifications.push.disabled') });
    }
    setHere(null);
    refetch({ requestPolicy: 'network-only' });
  }

  return (
    <Card withBorder component="section" aria-labelledby="notification-settings">
      <Title order={2} size="h3" mb="sm" id="notification-settings">
        {t('notifications.settings.title')}
      </Title>
      <Stack>
        <Text size="sm" c="dark.6">
          {t('notifications.settings.help')}
        </Text>
        <Table.ScrollContainer minWidth={480}>
          <Table data-testid="notification-choices">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('notifications.settings.kind')}</Table.Th>
                {CHANNELS.map((channel) => (
                  <Table.Th key={channel}>{t(`notifications.channels.${channel}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {kinds.map((kind) => (
                <Table.Tr key={kind}>
                  <Table.Td>{t(`notifications.kinds.${kind.replace('.', '_')}`, { defaultValue: kind })}</Table.Td>
                  {CHANNELS.map((channel) => (
                    <Table.Td key={channel}>
                      {choice(kind, channel) === undefined ? (
                        <Text c="dark.6" span>
                          <span aria-hidden="true">—</span>
                          <VisuallyHidden>{t('notifications.settings.none')}</VisuallyHidden>
                        </Text>
                      ) : (
                      <Switch
                        checked={choice(kind, channel)?.enabled ?? false}
                        disabled={busy}
                        aria-label={`${t(`notifications.kinds.${kind.replace('.', '_')}`, { defaultValue: kind })} — ${t(`notifications.channels.${channel}`)}`}
                        onChange={(e) => void toggle(kind, channel, e.currentTarget.checked)}
                      />
                      )}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Title order={3} size="h4">
          {t('notifications.push.title')}
        </Title>
        <Text size="sm" c="dark.6">
          {t('notifications.push.devices', { count: data.pushDevices.length })}
        </Text>
        {!data.webPushPublicKey || !pushSupported() ? (
          <Alert color="gray">{t('notifications.push.unsupported')}</Alert>
        ) : (
          <Group>
            {here && data.pushDevices.length > 0 ? (
              <Button variant="default" onClick={() => void disablePush()} loading={busy}>
                {t('notifications.push.disable')}
              </Button>
            ) : (
              <Button onClick={() => void enablePush()} loading={busy}>
                {t('notifications.push.enable')}
              </Button>
            )}
          </Group>
        )}
        {problem && (
          <Alert color="orange" role="alert">
            {problem}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

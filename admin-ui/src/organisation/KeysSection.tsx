// Widget keys (publishable, per allowed origins) and secret API keys (secret shown once).
import { Alert, Button, Card, Code, Group, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';

import type { OrganisationSettingsQuery } from '../gql/graphql';
import { formatShort } from '../lib/dates';
import { useAction } from '../lib/useAction';
import { ConfirmButton } from '../shell/ConfirmButton';
import { EmptyState } from '../shell/States';
import { CREATE_API_KEY, CREATE_WIDGET_KEY, REVOKE_KEY } from './operations';

export function KeysSection({ data, onChange }: { data: OrganisationSettingsQuery; onChange: () => void }) {
  const { t, i18n } = useTranslation();
  const [origins, setOrigins] = useState('');
  const [keyName, setKeyName] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [, createWidgetKey] = useMutation(CREATE_WIDGET_KEY);
  const [, createApiKey] = useMutation(CREATE_API_KEY);
  const [, revoke] = useMutation(REVOKE_KEY);
  const { run, busy } = useAction();
  const revokeKey = (id: string) =>
    run(() => revoke({ id }), { success: 'RevokedPayload', pick: (d) => d.revokeKey, done: t('organisation.revoked') }).then(onChange);

  return (
    <Card withBorder component="section">
      <Title order={2} size="h3" mb="sm">
        {t('organisation.keys')}
      </Title>
      <Stack>
        <Title order={3} size="h5">
          {t('organisation.widgetKeys')}
        </Title>
        {data.widgetKeys.length === 0 ? (
          <EmptyState>{t('organisation.noWidgetKeys')}</EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={600}>
            <Table>
              <Table.Tbody>
                {data.widgetKeys.map((key) => (
                  <Table.Tr key={key.id}>
                    <Table.Td>
                      <Code>{key.publicKey}</Code>
                    </Table.Td>
                    <Table.Td>{key.allowedOrigins.join(', ')}</Table.Td>
                    <Table.Td>{key.revokedAt ? t('organisation.revokedOn', { date: formatShort(key.revokedAt, i18n.language) }) : formatShort(key.createdAt, i18n.language)}</Table.Td>
                    <Table.Td>
                      {!key.revokedAt && (
                        <ConfirmButton size="xs" color="red.9" variant="outline" title={t('organisation.revokeTitle')} text={t('organisation.revokeText')} confirm={t('organisation.revoke')} onConfirm={() => revokeKey(key.id)}>
                          {t('organisation.revoke')}
                        </ConfirmButton>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Group align="flex-end">
          <Textarea label={t('organisation.origins')} description={t('organisation.originsHelp')} value={origins} onChange={(e) => setOrigins(e.currentTarget.value)} autosize minRows={1} w={360} />
          <Button
            variant="light"
            loading={busy}
            onClick={() =>
              void run(() => createWidgetKey({ origins: origins.split(/[\s,]+/).filter(Boolean) }), {
                success: 'WidgetKeyPayload',
                pick: (d) => d.createWidgetKey,
                done: t('organisation.created'),
              }).then((o) => {
                if (o.ok) {
                  setOrigins('');
                  onChange();
                }
              })
            }
          >
            {t('organisation.createWidgetKey')}
          </Button>
        </Group>
        <Title order={3} size="h5">
          {t('organisation.apiKeys')}
        </Title>
        {secret && (
          <Alert color="orange" title={t('organisation.secretOnce')} role="status" styles={{ title: { color: '#7a2e00' } }}>
            <Code block data-testid="api-secret">{secret}</Code>
          </Alert>
        )}
        {data.apiKeys.length === 0 ? (
          <EmptyState>{t('organisation.noApiKeys')}</EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={600}>
            <Table>
              <Table.Tbody>
                {data.apiKeys.map((key) => (
                  <Table.Tr key={key.id}>
                    <Table.Td>{key.name}</Table.Td>
                    <Table.Td>
                      <Code>{key.prefix}…</Code>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{key.lastUsedAt ? t('organisation.lastUsed', { date: formatShort(key.lastUsedAt, i18n.language) }) : t('organisation.neverUsed')}</Text>
                    </Table.Td>
                    <Table.Td>
                      {key.revokedAt ? (
                        t('organisation.revokedOn', { date: formatShort(key.revokedAt, i18n.language) })
                      ) : (
                        <ConfirmButton size="xs" color="red.9" variant="outline" title={t('organisation.revokeTitle')} text={t('organisation.revokeText')} confirm={t('organisation.revoke')} onConfirm={() => revokeKey(key.id)}>
                          {t('organisation.revoke')}
                        </ConfirmButton>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        <Group align="flex-end">
          <TextInput label={t('organisation.keyName')} value={keyName} onChange={(e) => setKeyName(e.currentTarget.value)} />
          <Button
            variant="light"
            loading={busy}
            onClick={() =>
              void run(() => createApiKey({ name: keyName }), { success: 'ApiKeyCreated', pick: (d) => d.createApiKey }).then((o) => {
                if (o.value?.__typename === 'ApiKeyCreated') {
                  setSecret(o.value.secret);
                  setKeyName('');
                  onChange();
                }
              })
            }
          >
            {t('organisation.createApiKey')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

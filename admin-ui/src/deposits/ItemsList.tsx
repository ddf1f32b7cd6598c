import { Anchor, Card, Code, Group, Image, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import type { DepositQuery } from '../gql/graphql';
import { formatDateTime } from '../lib/dates';

type Item = Extract<NonNullable<DepositQuery['node']>, { __typename: 'Deposit' }>['items'][number];

export function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dark.6" component="dt">
        {label}
      </Text>
      <Text size="sm" component="dd" m={0} style={{ wordBreak: 'break-all' }}>
        {children}
      </Text>
    </div>
  );
}

/** Each item with what proves it: its SHA-256, both clocks (with the zone), its place. */
export function ItemsList({ items }: { items: readonly Item[] }) {
  const { t, i18n } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="deposit-items">
      {items.map((item, index) => (
        <Card withBorder key={item.id} component="article" aria-label={t('deposit.itemN', { n: index + 1 })}>
          <Group align="flex-start" wrap="nowrap">
            {item.thumbnailUrl ? (
              <Anchor href={item.downloadUrl ?? undefined} target="_blank" rel="noopener">
                <Image src={item.thumbnailUrl} alt={t('deposit.thumbnailAlt', { n: index + 1 })} w={120} h={90} fit="cover" radius="sm" />
              </Anchor>
            ) : (
              <Text size="sm" c="dark.6" w={120}>
                {item.mediaType ?? '—'}
              </Text>
            )}
            <Stack gap={4} component="dl" m={0} style={{ minWidth: 0 }}>
              <Fact label="SHA-256">
                <Code>{item.sha256 ?? '—'}</Code>
              </Fact>
              <Fact label={t('deposit.capturedAt')}>{formatDateTime(item.capturedAt, i18n.language)}</Fact>
              <Fact label={t('deposit.receivedAt')}>
                {formatDateTime(item.receivedAt, i18n.language)}
                {item.clockSkewFlagged ? ` — ${t('deposit.clockSkew')}` : ''}
              </Fact>
              <Fact label={t('deposit.location')}>
                {item.location
                  ? t('deposit.gps', {
                      lat: item.location.latitude.toFixed(5),
                      lon: item.location.longitude.toFixed(5),
                      accuracy: Math.round(item.location.accuracyMeters),
                    })
                  : (item.noLocationReason ?? t('deposit.noLocation'))}
              </Fact>
              {item.comment && <Fact label={t('deposit.comment')}>{item.comment}</Fact>}
            </Stack>
          </Group>
          <Group gap="md" mt="xs">
            {item.downloadUrl && (
              <Anchor href={item.downloadUrl} size="sm" target="_blank" rel="noopener">
                {t('deposit.original')}
              </Anchor>
            )}
            {item.credentialsUrl && (
              <Anchor href={item.credentialsUrl} size="sm" target="_blank" rel="noopener">
                {t('deposit.credentialedCopy')}
              </Anchor>
            )}
          </Group>
        </Card>
      ))}
    </SimpleGrid>
  );
}

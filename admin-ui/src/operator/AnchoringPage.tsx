// Anchoring: sealed items waiting for a batch, the latest batches with their chain transaction
// and confirmations, and every batch waiting too long for its confirmation.
import { Alert, Card, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';

import type { AnchorBatchFieldsFragment } from '../gql/graphql';
import { formatShort } from '../lib/dates';
import { Loading } from '../shell/Loading';
import { EmptyState, QueryError } from '../shell/States';
import { ANCHORING } from './operations';

function short(hash: string): string {
  return hash.length > 18 ? `${hash.slice(0, 10)}…${hash.slice(-6)}` : hash;
}

function Batches({ batches, caption, testId }: { batches: AnchorBatchFieldsFragment[]; caption: string; testId: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table data-testid={testId} verticalSpacing="xs">
        <Table.Caption c="dark.7">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('operator.anchoring.batch')}</Table.Th>
            <Table.Th>{t('operator.anchoring.items')}</Table.Th>
            <Table.Th>{t('operator.anchoring.closed')}</Table.Th>
            <Table.Th>{t('operator.anchoring.transaction')}</Table.Th>
            <Table.Th>{t('operator.anchoring.status')}</Table.Th>
            <Table.Th>{t('operator.anchoring.confirmations')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {batches.map((b) => (
            <Table.Tr key={b.sequence}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {t('operator.anchoring.sequence', { n: b.sequence })}
                </Text>
                <Text size="xs" ff="monospace" title={b.root}>
                  {short(b.root)}
                </Text>
              </Table.Td>
              <Table.Td>{b.leafCount}</Table.Td>
              <Table.Td>{formatShort(b.closedAt, i18n.language)}</Table.Td>
              <Table.Td>
                {b.anchor ? (
                  <>
                    <Text size="xs" ff="monospace" title={b.anchor.txHash}>
                      {short(b.anchor.txHash)}
                    </Text>
                    <Text size="xs" c="dark.6">
                      {t('operator.anchoring.chain', { chain: b.anchor.chainId })}
                      {b.anchor.development ? ` · ${t('operator.anchoring.development')}` : ''}
                      {b.anchor.blockNumber != null ? ` · ${t('operator.anchoring.block', { block: b.anchor.blockNumber })}` : ''}
                    </Text>
                    {b.anchor.lastError && (
                      <Text size="xs" c="red.9">
                        {t('operator.anchoring.error', { attempts: b.anchor.attempts, error: b.anchor.lastError })}
                      </Text>
                    )}
                  </>
                ) : (
                  t('operator.anchoring.noTransaction')
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={700} c={b.late ? 'red.9' : b.anchor?.status === 'CONFIRMED' ? 'teal.9' : 'dark.7'}>
                  {b.late ? t('operator.anchoring.late') : t(`operator.anchoring.states.${b.anchor?.status ?? 'NONE'}`)}
                </Text>
              </Table.Td>
              <Table.Td>{b.anchor?.confirmations ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function AnchoringPage() {
  const { t } = useTranslation();
  const [{ data, fetching, error }, refetch] = useQuery({ query: ANCHORING, requestPolicy: 'cache-and-network' });
  if (error && !data) return <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (fetching && !data) return <Loading />;
  const status = data?.anchoringStatus;
  if (!status) return <Loading />;
  return (
    <Stack>
      <Title order={1}>{t('operator.anchoring.title')}</Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Card withBorder>
          <Text size="sm" c="dark.6">
            {t('operator.anchoring.waiting')}
          </Text>
          <Text size="xl" fw={700} data-testid="waiting-items">
            {status.waitingItems}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dark.6">
            {t('operator.anchoring.lateCount', { minutes: status.lateAfterMinutes })}
          </Text>
          <Text size="xl" fw={700} c={status.late.length ? 'red.9' : undefined} data-testid="late-batches">
            {status.late.length}
          </Text>
        </Card>
      </SimpleGrid>
      {status.late.length > 0 ? (
        <Alert color="red" title={t('operator.anchoring.lateTitle')}>
          <Batches batches={status.late} caption={t('operator.anchoring.lateCaption', { minutes: status.lateAfterMinutes })} testId="late-table" />
        </Alert>
      ) : (
        <Alert color="teal">{t('operator.anchoring.noneLate', { minutes: status.lateAfterMinutes })}</Alert>
      )}
      <Title order={2}>{t('operator.anchoring.latest')}</Title>
      {status.latest.length === 0 ? (
        <EmptyState>{t('operator.anchoring.empty')}</EmptyState>
      ) : (
        <Batches batches={status.latest} caption={t('operator.anchoring.latestCaption')} testId="batches-table" />
      )}
    </Stack>
  );
}

// Offices members would like on Probant: onboard one (the form comes pre-filled).
import { Button, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';

import { formatShort } from '../lib/dates';
import { Loading } from '../shell/Loading';
import { EmptyState, QueryError } from '../shell/States';
import { PROPOSALS } from './operations';

export function ProposalsPage() {
  const { t, i18n } = useTranslation();
  const [{ data, fetching, error }, refetch] = useQuery({ query: PROPOSALS, variables: {}, requestPolicy: 'cache-and-network' });
  if (error && !data) return <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (fetching && !data) return <Loading />;
  const rows = data?.proposedOffices.edges.map((e) => e.node) ?? [];
  return (
    <Stack>
      <Title order={1}>{t('operator.proposals.title')}</Title>
      <Text size="sm">{t('operator.proposals.intro')}</Text>
      {rows.length === 0 ? (
        <EmptyState>{t('operator.proposals.empty')}</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table data-testid="proposals-table" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('operator.proposals.office')}</Table.Th>
                <Table.Th>{t('operator.proposals.city')}</Table.Th>
                <Table.Th>{t('operator.proposals.by')}</Table.Th>
                <Table.Th>{t('operator.proposals.at')}</Table.Th>
                <Table.Th>{t('operator.proposals.action')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{p.name}</Table.Td>
                  <Table.Td>{p.city}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{p.organisationName}</Text>
                    <Text size="sm">{p.proposerEmail ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td>{formatShort(p.createdAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Button size="xs" component={Link} to={`/operator/onboard?${new URLSearchParams({ name: p.name, city: p.city }).toString()}`} aria-label={t('operator.proposals.onboardNamed', { name: p.name })}>
                      {t('operator.proposals.onboard')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

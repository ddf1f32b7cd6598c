import { Alert, Anchor, Button, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { useQuery } from 'urql';

import { DepositTable } from '../deposits/DepositTable';
import { DepositStatusBadge } from '../deposits/status';
import { graphql } from '../gql';
import { formatDateTime } from '../lib/dates';
import { may, useViewer } from '../lib/viewer';
import { entriesFor } from '../shell/navigation';
import { Loading } from '../shell/Loading';
import { EmptyState, QueryError } from '../shell/States';

const DASHBOARD = graphql(`
  query Dashboard {
    creditBalance
    recent: deposits(first: 5) {
      edges {
        node {
          id
          reference
          title
          status
          createdAt
        }
      }
    }
    submitted: deposits(filter: { status: SUBMITTED }, first: 10) {
      edges {
        node {
          ...PendingReview
        }
      }
    }
    inReview: deposits(filter: { status: IN_REVIEW }, first: 10) {
      edges {
        node {
          ...PendingReview
        }
      }
    }
  }
  fragment PendingReview on Deposit {
    id
    reference
    title
    status
    submission {
      dueAt
      overdue
      office {
        name
      }
    }
  }
`);

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const viewer = useViewer();
  const depositor = may(viewer, 'deposits:read_own');
  const [{ data, fetching, error }, refetch] = useQuery({ query: DASHBOARD, pause: !depositor });
  if (!depositor) {
    const first = entriesFor(viewer.permissions)[0];
    return <Navigate to={first?.to ?? '/account'} replace />;
  }
  const admin = may(viewer, 'credits:read_all');
  const pending = [...(data?.submitted.edges ?? []), ...(data?.inReview.edges ?? [])].map((e) => e.node);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('dashboard.title')}</Title>
        {may(viewer, 'deposits:create') && (
          <Button component={Link} to="/deposits/new">
            {t('nav.newDeposit')}
          </Button>
        )}
      </Group>
      {!viewer.user.emailVerified && <Alert color="orange">{t('auth.emailNotVerified')}</Alert>}
      {error && <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />}
      {fetching && !data && <Loading />}
      {data && (
        <>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Card withBorder>
              <Text size="sm" c="dark.6">
                {t(admin ? 'dashboard.balanceOrganisation' : 'dashboard.balanceOwn')}
              </Text>
              <Text size="xl" fw={700} data-testid="dashboard-balance">
                {t('header.balance', { count: data.creditBalance })}
              </Text>
              {admin && (
                <Anchor component={Link} to="/credits" size="sm">
                  {t('dashboard.buyCredits')}
                </Anchor>
              )}
            </Card>
            <Card withBorder>
              <Text size="sm" c="dark.6">
                {t('dashboard.pendingReviews')}
              </Text>
              <Text size="xl" fw={700}>
                {pending.length}
              </Text>
            </Card>
          </SimpleGrid>
          <Title order={2} size="h3">
            {t('dashboard.pendingReviews')}
          </Title>
          {pending.length === 0 ? (
            <EmptyState>{t('dashboard.noPending')}</EmptyState>
          ) : (
            <Table.ScrollContainer minWidth={500}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('archive.reference')}</Table.Th>
                    <Table.Th>{t('deposit.office')}</Table.Th>
                    <Table.Th>{t('dashboard.dueAt')}</Table.Th>
                    <Table.Th>{t('archive.status')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {pending.map((d) => (
                    <Table.Tr key={d.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/deposits/${d.id}`}>
                          {d.reference}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{d.submission?.office?.name ?? '—'}</Table.Td>
                      <Table.Td c={d.submission?.overdue ? 'red.9' : undefined}>
                        {formatDateTime(d.submission?.dueAt, i18n.language)}
                        {d.submission?.overdue ? ` — ${t('dashboard.overdue')}` : ''}
                      </Table.Td>
                      <Table.Td>
                        <DepositStatusBadge status={d.status} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <Title order={2} size="h3">
            {t('dashboard.recent')}
          </Title>
          {data.recent.edges.length === 0 ? (
            <EmptyState
              action={
                <Button component={Link} to="/deposits/new" size="xs">
                  {t('nav.newDeposit')}
                </Button>
              }
            >
              {t('dashboard.noDeposits')}
            </EmptyState>
          ) : (
            <DepositTable rows={data.recent.edges.map((e) => e.node)} testId="recent-deposits" />
          )}
        </>
      )}
    </Stack>
  );
}

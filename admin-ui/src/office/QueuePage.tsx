// The review queue: every tenant's submissions to the office, soonest due first.
import { Anchor, Badge, Button, Checkbox, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';

import { graphql } from '../gql';
import type { SubmissionStatus } from '../gql/graphql';
import { DepositStatusBadge } from '../deposits/status';
import { formatShort } from '../lib/dates';
import { useAction } from '../lib/useAction';
import { useViewer } from '../lib/viewer';
import { Loading } from '../shell/Loading';
import { EmptyState, QueryError } from '../shell/States';
import { duration, useNow } from './countdown';
import { NS } from './i18n';

const STATUSES: SubmissionStatus[] = ['SUBMITTED', 'IN_REVIEW', 'ACCEPTED', 'PARTIALLY_ACCEPTED', 'REJECTED'];

const QUEUE = graphql(`
  query OfficeQueue($filter: ReviewQueueFilter, $first: Int) {
    reviewQueue(filter: $filter, first: $first) {
      edges {
        node {
          id
          status
          requesterName
          dueAt
          overdue
          claimedBy
          deposit {
            id
            reference
            title
          }
        }
      }
    }
  }
`);

export const CLAIM = graphql(`
  mutation OfficeClaim($id: ID!) {
    claimSubmission(submissionId: $id) {
      __typename
      ... on SubmissionPayload {
        submission {
          id
          status
          claimedBy
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

export const UNCLAIM = graphql(`
  mutation OfficeUnclaim($id: ID!) {
    unclaimSubmission(submissionId: $id) {
      __typename
      ... on SubmissionPayload {
        submission {
          id
          status
          claimedBy
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

export function Deadline({ dueAt, overdue, open }: { dueAt: string; overdue: boolean; open: boolean }) {
  const { t, i18n } = useTranslation(NS);
  const now = useNow();
  const left = new Date(dueAt).getTime() - now;
  return (
    <Stack gap={2}>
      {open &&
        (overdue || left < 0 ? (
          <Badge color="red.9" variant="filled" data-testid="overdue">
            {t('queue.overdue', { time: duration(left) })}
          </Badge>
        ) : (
          <Text size="sm" fw={600} data-testid="countdown">
            {t('queue.left', { time: duration(left) })}
          </Text>
        ))}
      <Text size="xs" c="dark.6">
        {formatShort(dueAt, i18n.language)}
      </Text>
    </Stack>
  );
}

export function QueuePage() {
  const { t } = useTranslation(NS);
  const viewer = useViewer();
  const [params, setParams] = useSearchParams();
  const [tenant, setTenant] = useState(params.get('tenant') ?? '');
  const status = params.get('status');
  const [{ data, fetching, error }, refetch] = useQuery({
    query: QUEUE,
    variables: {
      first: 100,
      filter: {
        statuses: status && (STATUSES as string[]).includes(status) ? [status as SubmissionStatus] : null,
        requester: params.get('tenant') || null,
        claimedByMe: params.get('mine') === '1',
      },
    },
    requestPolicy: 'cache-and-network',
  });
  const [, claim] = useMutation(CLAIM);
  const [, unclaim] = useMutation(UNCLAIM);
  const { run, busy } = useAction();

  function update(name: string, value: string | null) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  }

  const edges = data?.reviewQueue.edges ?? [];
  const me = viewer.user.fullName || viewer.user.email;
  return (
    <Stack>
      <Title order={1}>{t('queue.title')}</Title>
      <Text c="dark.6">{t('queue.intro')}</Text>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          update('tenant', tenant.trim() || null);
        }}
      >
        <SimpleGrid cols={{ base: 1, sm: 3 }} role="search" aria-label={t('queue.filters')}>
          <Select
            label={t('queue.status')}
            clearable
            value={status}
            onChange={(value) => update('status', value)}
            placeholder={t('queue.open')}
            data={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`, { ns: 'translation' }) }))}
          />
          <TextInput
            label={t('queue.tenant')}
            placeholder={t('queue.tenantHint')}
            value={tenant}
            onChange={(e) => setTenant(e.currentTarget.value)}
            onBlur={() => update('tenant', tenant.trim() || null)}
          />
          <Checkbox
            mt={{ sm: 30 }}
            label={t('queue.mine')}
            checked={params.get('mine') === '1'}
            onChange={(e) => update('mine', e.currentTarget.checked ? '1' : null)}
          />
        </SimpleGrid>
      </form>
      {error && <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />}
      {fetching && !data && <Loading />}
      {data && edges.length === 0 && <EmptyState>{t('queue.empty')}</EmptyState>}
      {edges.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover data-testid="review-queue">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('queue.reference')}</Table.Th>
                <Table.Th>{t('queue.requester')}</Table.Th>
                <Table.Th>{t('queue.status')}</Table.Th>
                <Table.Th>{t('queue.dueIn')}</Table.Th>
                <Table.Th>{t('queue.claimedBy')}</Table.Th>
                <Table.Th>{t('queue.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {edges.map(({ node }) => {
                const open = node.status === 'SUBMITTED' || node.status === 'IN_REVIEW';
                return (
                  <Table.Tr key={node.id} data-testid="queue-row" data-overdue={node.overdue}>
                    <Table.Td>
                      <Anchor component={Link} to={`/office/review/${node.id}`} ff="monospace">
                        {node.deposit?.reference ?? '—'}
                      </Anchor>
                      <Text size="xs" c="dark.6">
                        {node.deposit?.title}
                      </Text>
                    </Table.Td>
                    <Table.Td>{node.requesterName}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <DepositStatusBadge status={node.status} />
                    </Table.Td>
                    <Table.Td>
                      <Deadline dueAt={node.dueAt} overdue={node.overdue} open={open} />
                    </Table.Td>
                    <Table.Td>{node.claimedBy ?? t('queue.nobody')}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {open && !node.claimedBy && (
                          <Button size="xs" variant="light" loading={busy} onClick={() => void run(() => claim({ id: node.id }), { success: 'SubmissionPayload', pick: (d) => d.claimSubmission, done: t('queue.claimed') })}>
                            {t('queue.claim')}
                          </Button>
                        )}
                        {open && node.claimedBy === me && (
                          <Button size="xs" variant="default" loading={busy} onClick={() => void run(() => unclaim({ id: node.id }), { success: 'SubmissionPayload', pick: (d) => d.unclaimSubmission, done: t('queue.unclaimed') })}>
                            {t('queue.unclaim')}
                          </Button>
                        )}
                        <Button size="xs" component={Link} to={`/office/review/${node.id}`}>
                          {t('queue.review')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

// The platform audit log: every organisation's events, newest first, page by page; the
// operators' own acts (credit adjustments, onboarding, prices) carry their written reason.
import { Anchor, Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useQuery } from 'urql';

import type { AuditAction } from '../gql/graphql';
import { formatShort } from '../lib/dates';
import { Loading } from '../shell/Loading';
import { EmptyState, QueryError } from '../shell/States';
import { AUDIT } from './operations';

const ACTIONS: AuditAction[] = [
  'CREDITS_ADJUSTED',
  'OFFICE_ONBOARDED',
  'CATALOGUE_CHANGED',
  'PRICE_NEGOTIATED',
  'SIGN_UP',
  'SIGN_IN',
  'SIGN_IN_FAILED',
  'MEMBER_INVITED',
  'MEMBER_ACTIVATED',
  'ROLE_CHANGED',
  'MEMBER_REMOVED',
  'ORGANISATION_UPDATED',
  'ACCOUNT_DELETED',
];

export function AuditLogPage() {
  const { t, i18n } = useTranslation();
  const [action, setAction] = useState<AuditAction | null>(null);
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const after = pages[pages.length - 1] ?? null;
  const [{ data, fetching, error }, refetch] = useQuery({ query: AUDIT, variables: { action, after }, requestPolicy: 'cache-and-network' });
  const label = (a: string) => t(`operator.actions.${a}`, { defaultValue: t(`audit.${a}`, { defaultValue: a }) });
  const rows = data?.platformAuditLog.edges.map((e) => e.node) ?? [];

  return (
    <Stack>
      <Title order={1}>{t('operator.audit.title')}</Title>
      <Text size="sm">{t('operator.audit.intro')}</Text>
      <Group align="flex-end">
        <Select
          label={t('operator.audit.action')}
          data={[{ value: '', label: t('operator.audit.allActions') }, ...ACTIONS.map((a) => ({ value: a, label: label(a) }))]}
          value={action ?? ''}
          allowDeselect={false}
          onChange={(value) => {
            setAction((value || null) as AuditAction | null);
            setPages([null]);
          }}
          w={280}
        />
      </Group>
      {error && !data ? (
        <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : fetching && !data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <EmptyState>{t('operator.audit.empty')}</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table data-testid="audit-table" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('operator.audit.when')}</Table.Th>
                <Table.Th>{t('operator.audit.organisation')}</Table.Th>
                <Table.Th>{t('operator.audit.action')}</Table.Th>
                <Table.Th>{t('operator.audit.who')}</Table.Th>
                <Table.Th>{t('operator.audit.details')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{formatShort(e.createdAt, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/operator/organisations/${encodeURIComponent(e.organisationId)}`} size="sm">
                      {e.organisationName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{label(e.action)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{e.actorEmail ?? '—'}</Text>
                    {e.ip && (
                      <Text size="xs" c="dark.6">
                        {e.ip}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {e.credits != null && <Text size="sm">{t('operator.audit.credits', { count: e.credits })}</Text>}
                    {e.reason && <Text size="sm">{t('operator.audit.reason', { reason: e.reason })}</Text>}
                    {!e.reason && e.credits == null && <Text size="sm">{e.target ?? '—'}</Text>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group>
        {pages.length > 1 && (
          <Button variant="default" onClick={() => setPages((p) => p.slice(0, -1))}>
            {t('operator.previousPage')}
          </Button>
        )}
        {data?.platformAuditLog.pageInfo.hasNextPage && (
          <Button variant="default" onClick={() => setPages((p) => [...p, data.platformAuditLog.pageInfo.endCursor ?? null])}>
            {t('operator.nextPage')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

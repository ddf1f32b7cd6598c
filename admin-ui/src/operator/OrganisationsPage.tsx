// Every organisation: search by name or city, filter by kind, open one.
import { Anchor, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';

import type { OrganisationKind } from '../gql/graphql';
import { Loading } from '../shell/Loading';
import { EmptyState, QueryError } from '../shell/States';
import { ORGANISATIONS } from './operations';

const KINDS: OrganisationKind[] = ['LAW_FIRM', 'COMPANY', 'INDIVIDUAL', 'BAILIFF_OFFICE', 'PLATFORM'];

export function OrganisationsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const kind = (params.get('kind') as OrganisationKind | null) ?? null;
  const [typed, setTyped] = useState(search);
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: ORGANISATIONS,
    variables: { kind, search: search || null, after },
    requestPolicy: 'cache-and-network',
  });
  const rows = data?.organisations.edges.map((e) => e.node) ?? [];

  function apply(next: { q?: string; kind?: string | null }) {
    const merged = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (value) merged.set(key, value);
      else merged.delete(key);
    }
    setAfter(null);
    setParams(merged);
  }

  return (
    <Stack>
      <Title order={1}>{t('operator.organisations.title')}</Title>
      <form
        role="search"
        aria-label={t('operator.organisations.filters')}
        onSubmit={(event) => {
          event.preventDefault();
          apply({ q: typed.trim() });
        }}
      >
        <Group align="flex-end">
          <TextInput label={t('operator.organisations.search')} description={t('operator.organisations.searchHint')} value={typed} onChange={(e) => setTyped(e.currentTarget.value)} />
          <Select
            label={t('operator.organisations.kind')}
            data={[{ value: '', label: t('operator.organisations.allKinds') }, ...KINDS.map((k) => ({ value: k, label: t(`operator.kinds.${k}`) }))]}
            value={kind ?? ''}
            onChange={(value) => apply({ kind: value || null })}
            allowDeselect={false}
          />
          <Button type="submit">{t('operator.organisations.apply')}</Button>
        </Group>
      </form>
      {error && !data ? (
        <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />
      ) : fetching && !data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <EmptyState>{t('operator.organisations.empty')}</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table data-testid="organisations-table" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('operator.organisations.name')}</Table.Th>
                <Table.Th>{t('operator.organisations.kind')}</Table.Th>
                <Table.Th>{t('operator.organisations.city')}</Table.Th>
                <Table.Th>SIREN</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/operator/organisations/${encodeURIComponent(o.id)}`}>
                      {o.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="outline" color="indigo.9" tt="none">
                      {t(`operator.kinds.${o.kind}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{o.legalIdentity.city || '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {o.legalIdentity.siren ?? '—'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group>
        {after && (
          <Button variant="default" onClick={() => setAfter(null)}>
            {t('operator.firstPage')}
          </Button>
        )}
        {data?.organisations.pageInfo.hasNextPage && (
          <Button variant="default" onClick={() => setAfter(data.organisations.pageInfo.endCursor ?? null)}>
            {t('operator.nextPage')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

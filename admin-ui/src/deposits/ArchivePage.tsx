// The archive: filters and the cursor are kept in the URL (shareable, back button works).
import { Alert, Button, Group, Select, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useClient, useQuery } from 'urql';

import { graphql } from '../gql';
import type { DepositFilter, DepositStatus } from '../gql/graphql';
import { dayBound } from '../lib/dates';
import { may, useViewer } from '../lib/viewer';
import { Loading } from '../shell/Loading';
import { DayInput } from '../shell/DayInput';
import { EmptyState, QueryError } from '../shell/States';
import { archiveCsv } from './csv';
import { DepositTable } from './DepositTable';

const PAGE_SIZE = 20;
const EXPORT_PAGES = 100; // at most 10,000 deposits in one file
const STATUSES: DepositStatus[] = ['DRAFT', 'SEALED', 'SUBMITTED', 'IN_REVIEW', 'ACCEPTED', 'REJECTED', 'DELETED'];

const ARCHIVE = graphql(`
  query Archive($filter: DepositFilter, $first: Int, $after: String) {
    deposits(filter: $filter, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          reference
          title
          status
          kind
          createdAt
          sealedAt
          address {
            city
          }
          items {
            id
          }
        }
      }
    }
  }
`);

const AUTHORS = graphql(`
  query ArchiveAuthors {
    organisation {
      id
      members(first: 100) {
        edges {
          node {
            id
            fullName
            email
          }
        }
      }
    }
  }
`);

/** The API filter for the archive's URL parameters; dates are whole days in the viewer's zone. */
export function filterFromParams(params: URLSearchParams): DepositFilter {
  return {
    status: (STATUSES as string[]).includes(params.get('status') ?? '') ? (params.get('status') as DepositStatus) : null,
    author: params.get('author') || null,
    from: dayBound(params.get('from')),
    to: dayBound(params.get('to'), true),
    search: params.get('q') || null,
  };
}

export function ArchivePage() {
  const { t } = useTranslation();
  const viewer = useViewer();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const admin = may(viewer, 'deposits:read_all');
  const [{ data, fetching, error }, refetch] = useQuery({
    query: ARCHIVE,
    variables: { filter: filterFromParams(params), first: PAGE_SIZE, after: params.get('after') },
  });
  const [{ data: authors }] = useQuery({ query: AUTHORS, pause: !admin });
  const client = useClient();
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);

  async function exportCsv() {
    setExporting(true);
    setExportError(null);
    try {
      const rows = [];
      let after: string | null = null;
      for (let page = 0; page < EXPORT_PAGES; page += 1) {
        const result = await client
          .query(ARCHIVE, { filter: filterFromParams(params), first: 100, after }, { requestPolicy: 'network-only' })
          .toPromise();
        if (!result.data) {
          setExportError(result.error?.networkError ? t('errors.network') : t('errors.unexpected'));
          return;
        }
        rows.push(...result.data.deposits.edges.map((e) => e.node));
        if (!result.data.deposits.pageInfo.hasNextPage) break;
        after = result.data.deposits.pageInfo.endCursor;
      }
      const headers = ['reference', 'titleColumn', 'status', 'kind', 'created', 'sealed', 'city', 'items'].map((key) =>
        t(`archive.csvColumns.${key}`),
      );
      const csv = archiveCsv(rows, headers, (status) => t(`status.${status}`));
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      Object.assign(document.createElement('a'), { href: url, download: 'probant-archives.csv' }).click();
      URL.revokeObjectURL(url);
    } finally {
      setExporting(false);
    }
  }

  function update(name: string, value: string | null) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete('after');
    setParams(next);
  }

  const edges = data?.deposits.edges ?? [];
  return (
    <Stack>
      <Title order={1}>{t('archive.title')}</Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          update('q', search.trim() || null);
        }}
      >
        <SimpleGrid cols={{ base: 1, sm: 2, md: admin ? 5 : 4 }} role="search" aria-label={t('archive.filters')}>
          <TextInput label={t('archive.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} onBlur={() => update('q', search.trim() || null)} />
          <Select
            label={t('archive.status')}
            clearable
            value={params.get('status')}
            onChange={(value) => update('status', value)}
            data={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            placeholder={t('archive.any')}
          />
          {admin && (
            <Select
              label={t('archive.author')}
              clearable
              searchable
              value={params.get('author')}
              onChange={(value) => update('author', value)}
              data={(authors?.organisation?.members.edges ?? []).map(({ node }) => ({ value: node.id, label: node.fullName || node.email }))}
              placeholder={t('archive.anyone')}
            />
          )}
          <DayInput label={t('archive.from')} value={params.get('from')} onChange={(day) => update('from', day)} />
          <DayInput label={t('archive.to')} value={params.get('to')} onChange={(day) => update('to', day)} />
        </SimpleGrid>
        <Group mt="sm">
          <Button type="submit" variant="default">
            {t('archive.apply')}
          </Button>
          <Button variant="default" loading={exporting} onClick={() => void exportCsv()}>
            {t('archive.csv')}
          </Button>
        </Group>
      </form>
      {exportError && (
        <Alert color="red" role="alert">
          {exportError}
        </Alert>
      )}
      {error && <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />}
      {fetching && !data && <Loading />}
      {data && edges.length === 0 && (
        <EmptyState
          action={
            [...params.keys()].length > 0 ? (
              <Button size="xs" variant="light" onClick={() => setParams(new URLSearchParams())}>
                {t('archive.clearFilters')}
              </Button>
            ) : (
              <Button size="xs" component={Link} to="/deposits/new">
                {t('nav.newDeposit')}
              </Button>
            )
          }
        >
          {[...params.keys()].length > 0 ? t('archive.noMatch') : t('dashboard.noDeposits')}
        </EmptyState>
      )}
      {edges.length > 0 && (
        <DepositTable rows={edges.map((e) => e.node)} testId="archive-table" />
      )}
      <Group>
        {params.get('after') && (
          <Button variant="default" onClick={() => update('after', null)}>
            {t('archive.firstPage')}
          </Button>
        )}
        {data?.deposits.pageInfo.hasNextPage && (
          <Button
            variant="default"
            onClick={() => {
              const next = new URLSearchParams(params);
              next.set('after', data.deposits.pageInfo.endCursor ?? '');
              setParams(next);
            }}
          >
            {t('archive.nextPage')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

import { Anchor, Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { DepositStatus } from '../gql/graphql';
import { formatShort } from '../lib/dates';
import { DepositStatusBadge } from './status';

export interface DepositRow {
  id: string;
  reference: string;
  title: string;
  status: DepositStatus;
  createdAt: string;
  address?: { city: string };
  items?: readonly unknown[];
}

/** Deposits as a table: reference (a link to the deposit), title, items, date, status. */
export function DepositTable({ rows, testId }: { rows: readonly DepositRow[]; testId: string }) {
  const { t, i18n } = useTranslation();
  const withItems = rows.some((row) => row.items);
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped highlightOnHover data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('archive.reference')}</Table.Th>
            <Table.Th>{t('archive.titleColumn')}</Table.Th>
            {withItems && <Table.Th>{t('archive.items')}</Table.Th>}
            <Table.Th>{t('archive.created')}</Table.Th>
            <Table.Th>{t('archive.status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.id}>
              <Table.Td>
                <Anchor component={Link} to={`/deposits/${row.id}`}>
                  {row.reference}
                </Anchor>
              </Table.Td>
              <Table.Td>
                {row.title || t('archive.untitled')}
                {row.address?.city ? ` — ${row.address.city}` : ''}
              </Table.Td>
              {withItems && <Table.Td>{row.items?.length ?? '—'}</Table.Td>}
              <Table.Td>{formatShort(row.createdAt, i18n.language)}</Table.Td>
              <Table.Td>
                <DepositStatusBadge status={row.status} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

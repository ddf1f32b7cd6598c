// Credits and billing (OWNER/ADMIN): catalogue HT/VAT/TTC, packs, plans, receipts, ledger.
import { Alert, Anchor, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';

import { graphql } from '../gql';
import type { TransactionKind } from '../gql/graphql';
import { dayBound, formatEuros, formatShort } from '../lib/dates';
import { useAction } from '../lib/useAction';
import { Loading } from '../shell/Loading';
import { DayInput } from '../shell/DayInput';
import { EmptyState, QueryError } from '../shell/States';

const KINDS: TransactionKind[] = ['PURCHASE', 'ALLOTMENT', 'TRANSFER', 'SPEND', 'REFUND', 'EXPIRY', 'ADJUSTMENT'];

const BILLING = graphql(`
  query Billing {
    creditBalance
    catalogue {
      paymentProvider
      paymentProviderLabel
      packs {
        id
        name
        credits
        negotiated
        price {
          htCents
          vatCents
          ttcCents
        }
      }
      plans {
        id
        name
        monthlyCredits
        seats
        rollover
        pricingRule
        negotiated
        price {
          htCents
          vatCents
          ttcCents
        }
      }
    }
    subscription {
      planId
      planName
      status
      currentPeriodEnd
      monthlyCredits
      seats
    }
    receipts {
      id
      number
      description
      credits
      paidAt
      receiptUrl
      invoiceUrl
      price {
        ttcCents
      }
    }
  }
`);

const LEDGER = graphql(`
  query Ledger($kind: TransactionKind, $from: DateTime, $to: DateTime) {
    ledgerEntries(kind: $kind, from: $from, to: $to, first: 50) {
      edges {
        node {
          id
          kind
          amount
          balanceAfter
          reference
          reason
          createdAt
        }
      }
    }
  }
`);

const LEDGER_CSV = graphql(`
  query LedgerCsv($kind: TransactionKind, $from: DateTime, $to: DateTime) {
    ledgerEntriesCsv(kind: $kind, from: $from, to: $to)
  }
`);

const BUY = graphql(`
  mutation BuyCredits($packId: String!) {
    buyCredits(packId: $packId) {
      __typename
      ... on CheckoutPayload {
        checkoutUrl
        completed
      }
      ... on Error {
        message
      }
    }
  }
`);

const SUBSCRIBE = graphql(`
  mutation Subscribe($planId: String!) {
    subscribe(planId: $planId) {
      __typename
      ... on CheckoutPayload {
        checkoutUrl
        completed
      }
      ... on Error {
        message
      }
    }
  }
`);

const PORTAL = graphql(`
  mutation BillingPortal {
    billingPortalUrl {
      __typename
      ... on BillingPortal {
        url
      }
      ... on Error {
        message
      }
    }
  }
`);

function PriceLines({ price }: { price: { htCents: number; vatCents: number; ttcCents: number } }) {
  const { t, i18n } = useTranslation();
  return (
    <Text size="sm">
      {t('billing.ht', { amount: formatEuros(price.htCents, i18n.language) })} · {t('billing.vat', { amount: formatEuros(price.vatCents, i18n.language) })} ·{' '}
      <strong>{t('billing.ttc', { amount: formatEuros(price.ttcCents, i18n.language) })}</strong>
    </Text>
  );
}

export function CreditsPage() {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const [params, setParams] = useSearchParams();
  const [{ data, fetching, error }, refetch] = useQuery({ query: BILLING });
  const ledgerVariables = {
    kind: (KINDS as string[]).includes(params.get('kind') ?? '') ? (params.get('kind') as TransactionKind) : null,
    from: dayBound(params.get('from')),
    to: dayBound(params.get('to'), true),
  };
  const [{ data: ledger }, refetchLedger] = useQuery({ query: LEDGER, variables: ledgerVariables });
  const [, buy] = useMutation(BUY);
  const [, subscribe] = useMutation(SUBSCRIBE);
  const [, portal] = useMutation(PORTAL);
  const { run, busy } = useAction();
  const reload = () => {
    refetch({ requestPolicy: 'network-only' });
    refetchLedger({ requestPolicy: 'network-only' });
  };

  function afterCheckout(value: { __typename?: string; completed?: boolean; checkoutUrl?: string } | null) {
    if (value?.__typename !== 'CheckoutPayload') return;
    if (value.completed) {
      reload();
      setParams({ paid: '1' });
    } else if (value.checkoutUrl) window.location.assign(value.checkoutUrl);
  }

  async function buyPack(packId: string) {
    afterCheckout((await run(() => buy({ packId }), { success: 'CheckoutPayload', pick: (d) => d.buyCredits })).value);
  }

  async function subscribeTo(planId: string) {
    afterCheckout((await run(() => subscribe({ planId }), { success: 'CheckoutPayload', pick: (d) => d.subscribe })).value);
  }

  async function exportCsv() {
    const result = await client.query(LEDGER_CSV, ledgerVariables, { requestPolicy: 'network-only' }).toPromise();
    if (!result.data) return;
    const url = URL.createObjectURL(new Blob([result.data.ledgerEntriesCsv], { type: 'text/csv' }));
    Object.assign(document.createElement('a'), { href: url, download: 'probant-ledger.csv' }).click();
    URL.revokeObjectURL(url);
  }

  function setFilter(name: string, value: string | null) {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  }

  if (error && !data) return <QueryError error={error} retry={reload} />;
  if (fetching && !data) return <Loading />;
  if (!data) return null;
  const entries = ledger?.ledgerEntries.edges.map((e) => e.node) ?? [];
  return (
    <Stack>
      <Title order={1}>{t('nav.credits')}</Title>
      {params.get('paid') && (
        <Alert color="green" role="status">
          {t('billing.paid')}
        </Alert>
      )}
      {params.get('cancelled') && <Alert color="gray">{t('billing.cancelled')}</Alert>}
      <Card withBorder>
        <Text size="sm" c="dark.6">
          {t('dashboard.balanceOrganisation')}
        </Text>
        <Text size="xl" fw={700} data-testid="billing-balance">
          {t('header.balance', { count: data.creditBalance })}
        </Text>
        {data.catalogue.paymentProviderLabel && (
          <Text size="sm" c="dark.6">
            {data.catalogue.paymentProviderLabel}
          </Text>
        )}
      </Card>
      <Title order={2} size="h3">
        {t('billing.packs')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {data.catalogue.packs.map((pack) => (
          <Card withBorder key={pack.id} data-testid={`pack-${pack.id}`}>
            <Group justify="space-between">
              <Text fw={600}>{pack.name}</Text>
              {pack.negotiated && <Badge color="indigo.9">{t('billing.negotiated')}</Badge>}
            </Group>
            <Text>{t('header.balance', { count: pack.credits })}</Text>
            <PriceLines price={pack.price} />
            <Button mt="sm" loading={busy} onClick={() => void buyPack(pack.id)} aria-label={t('billing.buyNamed', { name: pack.name })}>
              {t('billing.buy')}
            </Button>
          </Card>
        ))}
      </SimpleGrid>
      <Title order={2} size="h3">
        {t('billing.plans')}
      </Title>
      {data.subscription && (
        <Alert color="indigo" data-testid="current-plan">
          {t('billing.currentPlan', {
            name: data.subscription.planName,
            credits: data.subscription.monthlyCredits,
            date: formatShort(data.subscription.currentPeriodEnd, i18n.language),
          })}{' '}
          <Anchor
            component="button"
            onClick={() =>
              void run(() => portal({}), { success: 'BillingPortal', pick: (d) => d.billingPortalUrl }).then((o) => {
                if (o.value?.__typename === 'BillingPortal') window.location.assign(o.value.url);
              })
            }
          >
            {t('billing.portal')}
          </Anchor>
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {data.catalogue.plans.map((plan) => (
          <Card withBorder key={plan.id}>
            <Text fw={600}>{plan.name}</Text>
            <Text size="sm">{t('billing.planFacts', { credits: plan.monthlyCredits, seats: plan.seats })}</Text>
            <Text size="sm">{t(`billing.rule.${plan.pricingRule}`, { defaultValue: plan.pricingRule })}</Text>
            <PriceLines price={plan.price} />
            {!data.subscription && (
              <Button mt="sm" variant="light" loading={busy} onClick={() => void subscribeTo(plan.id)}>
                {t('billing.subscribe')}
              </Button>
            )}
          </Card>
        ))}
      </SimpleGrid>
      <Title order={2} size="h3">
        {t('billing.receipts')}
      </Title>
      {data.receipts.length === 0 ? (
        <EmptyState>{t('billing.noReceipts')}</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={500}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('billing.number')}</Table.Th>
                <Table.Th>{t('billing.description')}</Table.Th>
                <Table.Th>{t('billing.paidAt')}</Table.Th>
                <Table.Th>{t('billing.amount')}</Table.Th>
                <Table.Th>PDF</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.receipts.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{r.number}</Table.Td>
                  <Table.Td>{r.description}</Table.Td>
                  <Table.Td>{formatShort(r.paidAt, i18n.language)}</Table.Td>
                  <Table.Td>{formatEuros(r.price.ttcCents, i18n.language)}</Table.Td>
                  <Table.Td>
                    <Anchor href={r.receiptUrl}>{t('billing.receipt')}</Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Title order={2} size="h3">
        {t('billing.ledger')}
      </Title>
      <Group align="flex-end">
        <Select
          label={t('billing.kind')}
          clearable
          value={params.get('kind')}
          onChange={(value) => setFilter('kind', value)}
          data={KINDS.map((k) => ({ value: k, label: t(`ledgerKind.${k}`) }))}
          placeholder={t('archive.any')}
        />
        <DayInput label={t('archive.from')} value={params.get('from')} onChange={(day) => setFilter('from', day)} />
        <DayInput label={t('archive.to')} value={params.get('to')} onChange={(day) => setFilter('to', day)} />
        <Button variant="default" onClick={() => void exportCsv()}>
          {t('billing.csv')}
        </Button>
      </Group>
      {entries.length === 0 ? (
        <EmptyState>{t('billing.noEntries')}</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table data-testid="ledger">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('billing.date')}</Table.Th>
                <Table.Th>{t('billing.kind')}</Table.Th>
                <Table.Th>{t('billing.credits')}</Table.Th>
                <Table.Th>{t('billing.balanceAfter')}</Table.Th>
                <Table.Th>{t('billing.reference')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{formatShort(e.createdAt, i18n.language)}</Table.Td>
                  <Table.Td>{t(`ledgerKind.${e.kind}`)}</Table.Td>
                  <Table.Td>{e.amount > 0 ? `+${e.amount}` : e.amount}</Table.Td>
                  <Table.Td>{e.balanceAfter}</Table.Td>
                  <Table.Td>{[e.reference, e.reason].filter(Boolean).join(' — ')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

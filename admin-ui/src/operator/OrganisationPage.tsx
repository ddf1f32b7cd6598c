// One organisation: who it is, its members, plan and balance; credit it with a written
// reason (a ledger adjustment, on record in its audit log); negotiate its prices.
import { Anchor, Badge, Button, Card, Group, NumberInput, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';

import { formatShort } from '../lib/dates';
import { useAction } from '../lib/useAction';
import { Loading } from '../shell/Loading';
import { EmptyState, QueryError } from '../shell/States';
import { euros } from './money';
import { ADJUST, OVERVIEW, SET_PRICE } from './operations';

function newKey(): string {
  return `operator-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;
}

export function OrganisationPage() {
  const { t, i18n } = useTranslation();
  const id = decodeURIComponent(useParams().id ?? '');
  const [{ data, fetching, error }, refetch] = useQuery({ query: OVERVIEW, variables: { id }, requestPolicy: 'cache-and-network' });
  const [, adjust] = useMutation(ADJUST);
  const [, setPrice] = useMutation(SET_PRICE);
  const { run, busy } = useAction();
  const [amount, setAmount] = useState<string | number>('');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [key, setKey] = useState(newKey);
  const [prices, setPrices] = useState<Record<string, string | number>>({});
  const reload = () => refetch({ requestPolicy: 'network-only' });

  if (error && !data) return <QueryError error={error} retry={reload} />;
  if (fetching && !data) return <Loading />;
  const overview = data?.organisationOverview;
  if (!overview) return <EmptyState>{t('operator.organisation.notFound')}</EmptyState>;
  const org = overview.organisation;
  const members = org.members.edges.map((e) => e.node);
  const lang = i18n.language;

  return (
    <Stack>
      <Anchor component={Link} to="/operator" size="sm">
        {t('operator.organisation.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Title order={1}>{org.name}</Title>
        <Badge size="lg" variant="outline" color="indigo.9" tt="none">
          {t(`operator.kinds.${org.kind}`)}
        </Badge>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card withBorder>
          <Text size="sm" c="dark.6">
            {t('operator.organisation.balance')}
          </Text>
          <Text size="xl" fw={700} data-testid="organisation-balance">
            {t('operator.organisation.credits', { count: overview.creditBalance })}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dark.6">
            {t('operator.organisation.plan')}
          </Text>
          <Text size="xl" fw={700}>
            {overview.plan ? overview.plan.planName : t('operator.organisation.noPlan')}
          </Text>
          {overview.plan && (
            <Text size="sm">
              {t('operator.organisation.planDetail', { status: overview.plan.status, credits: overview.plan.monthlyCredits, end: formatShort(overview.plan.currentPeriodEnd, lang) })}
            </Text>
          )}
        </Card>
        <Card withBorder>
          <Text size="sm" c="dark.6">
            {t('operator.organisation.identity')}
          </Text>
          <Text size="sm">
            {[org.legalIdentity.street, [org.legalIdentity.postcode, org.legalIdentity.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') || '—'}
          </Text>
          <Text size="sm">SIREN {org.legalIdentity.siren ?? '—'}</Text>
          <Text size="sm">{t('operator.organisation.since', { date: formatShort(overview.createdAt, lang) })}</Text>
        </Card>
      </SimpleGrid>

      <Card withBorder component="section" aria-labelledby="adjust-title">
        <Title order={2} id="adjust-title" mb="xs">
          {t('operator.adjust.title')}
        </Title>
        <Text size="sm" mb="sm">
          {t('operator.adjust.help')}
        </Text>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!reason.trim()) {
              setReasonError(t('operator.adjust.reasonRequired'));
              return;
            }
            setReasonError(null);
            void run(() => adjust({ organisationId: org.id, amount: Number(amount), reason: reason.trim(), key }), {
              success: 'CreditsMoved',
              pick: (d) => d.adjustCredits,
              done: t('operator.adjust.done'),
            }).then((r) => {
              if (!r.ok) return;
              setAmount('');
              setReason('');
              setKey(newKey());
              reload();
            });
          }}
        >
          <Stack>
            <NumberInput label={t('operator.adjust.amount')} value={amount} onChange={setAmount} min={1} max={100000} allowDecimal={false} required w={200} />
            <Textarea
              label={t('operator.adjust.reason')}
              description={t('operator.adjust.reasonHelp')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              error={reasonError}
              required
              autosize
              minRows={2}
            />
            <Group>
              <Button type="submit" loading={busy}>
                {t('operator.adjust.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>

      <Card withBorder component="section" aria-labelledby="members-title">
        <Title order={2} id="members-title" mb="sm">
          {t('operator.organisation.members', { count: overview.memberCount })}
        </Title>
        <Table.ScrollContainer minWidth={560}>
          <Table data-testid="organisation-members">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('operator.organisation.person')}</Table.Th>
                <Table.Th>{t('operator.organisation.role')}</Table.Th>
                <Table.Th>{t('operator.organisation.status')}</Table.Th>
                <Table.Th>{t('operator.organisation.joined')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {m.fullName || '—'}
                    </Text>
                    <Text size="sm">{m.email}</Text>
                  </Table.Td>
                  <Table.Td>{t(`roles.${m.role}`, { defaultValue: m.role })}</Table.Td>
                  <Table.Td>{t(`operator.memberStatus.${m.status}`, { defaultValue: m.status })}</Table.Td>
                  <Table.Td>{formatShort(m.joinedAt, lang)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>

      <Card withBorder component="section" aria-labelledby="prices-title">
        <Title order={2} id="prices-title" mb="xs">
          {t('operator.prices.title')}
        </Title>
        <Text size="sm" mb="sm">
          {t('operator.prices.help')}
        </Text>
        <Table.ScrollContainer minWidth={720}>
          <Table data-testid="organisation-prices">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('operator.catalogue.product')}</Table.Th>
                <Table.Th>{t('operator.prices.list')}</Table.Th>
                <Table.Th>{t('operator.prices.theirs')}</Table.Th>
                <Table.Th>{t('operator.prices.negotiate')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {overview.prices.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    {p.name} {!p.active && <Badge color="dark.6" variant="outline">{t('operator.catalogue.inactive')}</Badge>}
                  </Table.Td>
                  <Table.Td>{t('operator.price', { ttc: euros(p.listPrice.ttcCents, lang), ht: euros(p.listPrice.htCents, lang) })}</Table.Td>
                  <Table.Td>
                    {t('operator.price', { ttc: euros(p.price.ttcCents, lang), ht: euros(p.price.htCents, lang) })}{' '}
                    {p.negotiated && <Badge color="teal.9" variant="outline">{t('operator.prices.negotiated')}</Badge>}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <NumberInput
                        aria-label={t('operator.prices.newPrice', { product: p.name })}
                        value={prices[p.id] ?? ''}
                        onChange={(v) => setPrices((all) => ({ ...all, [p.id]: v }))}
                        min={0}
                        decimalScale={2}
                        suffix=" €"
                        w={120}
                      />
                      <Button
                        size="xs"
                        disabled={prices[p.id] === undefined || prices[p.id] === ''}
                        onClick={() =>
                          void run(() => setPrice({ organisationId: org.id, productId: p.id, priceTtcCents: Math.round(Number(prices[p.id]) * 100) }), {
                            success: ['CreditPack', 'SubscriptionPlan'],
                            pick: (d) => d.setPriceOverride,
                            done: t('operator.prices.saved'),
                          }).then((r) => r.ok && reload())
                        }
                      >
                        {t('operator.prices.apply')}
                      </Button>
                      {p.negotiated && (
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() =>
                            void run(() => setPrice({ organisationId: org.id, productId: p.id, priceTtcCents: null }), {
                              success: ['CreditPack', 'SubscriptionPlan'],
                              pick: (d) => d.setPriceOverride,
                              done: t('operator.prices.removed'),
                            }).then((r) => r.ok && reload())
                          }
                        >
                          {t('operator.prices.remove')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  );
}

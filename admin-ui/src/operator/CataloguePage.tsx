// The catalogue: packs and plans with their prices HT and TTC, whether each is on sale, and
// the deposit pricing rule of each plan. Negotiated prices are set on an organisation's page.
import { Badge, Button, Group, NumberInput, Select, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';

import { useAction } from '../lib/useAction';
import { Loading } from '../shell/Loading';
import { QueryError } from '../shell/States';
import { euros } from './money';
import { CATALOGUE, UPDATE_PRODUCT } from './operations';

const RULES = ['PER_DEPOSIT', 'PER_ITEM'];

export function CataloguePage() {
  const { t, i18n } = useTranslation();
  const [{ data, fetching, error }, refetch] = useQuery({ query: CATALOGUE, requestPolicy: 'cache-and-network' });
  const [, update] = useMutation(UPDATE_PRODUCT);
  const { run } = useAction();
  const [prices, setPrices] = useState<Record<string, string | number>>({});
  const reload = () => refetch({ requestPolicy: 'network-only' });
  if (error && !data) return <QueryError error={error} retry={reload} />;
  if (fetching && !data) return <Loading />;
  const lang = i18n.language;
  const save = (productId: string, change: { priceTtcCents?: number; active?: boolean; pricingRule?: string }) =>
    void run(() => update({ productId, ...change }), {
      success: ['CreditPack', 'SubscriptionPlan'],
      pick: (d) => d.updateCatalogueProduct,
      done: t('operator.catalogue.saved'),
    }).then((r) => r.ok && reload());

  return (
    <Stack>
      <Title order={1}>{t('operator.catalogue.title')}</Title>
      <Text size="sm">{t('operator.catalogue.intro')}</Text>
      <Table.ScrollContainer minWidth={900}>
        <Table data-testid="catalogue-table" verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('operator.catalogue.product')}</Table.Th>
              <Table.Th>{t('operator.catalogue.content')}</Table.Th>
              <Table.Th>{t('operator.catalogue.priceTtc')}</Table.Th>
              <Table.Th>{t('operator.catalogue.priceHt')}</Table.Th>
              <Table.Th>{t('operator.catalogue.rule')}</Table.Th>
              <Table.Th>{t('operator.catalogue.onSale')}</Table.Th>
              <Table.Th>{t('operator.catalogue.newPrice')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(data?.operatorCatalogue ?? []).map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {p.name}
                  </Text>
                  <Badge variant="outline" color={p.kind === 'PLAN' ? 'indigo.9' : 'dark.6'}>
                    {t(`operator.catalogue.${p.kind === 'PLAN' ? 'plan' : 'pack'}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {p.kind === 'PLAN' ? t('operator.catalogue.planContent', { credits: p.credits, seats: p.seats ?? 0 }) : t('operator.catalogue.packContent', { count: p.credits })}
                </Table.Td>
                <Table.Td>{euros(p.price.ttcCents, lang)}</Table.Td>
                <Table.Td>
                  {euros(p.price.htCents, lang)}
                  <Text size="xs" c="dark.6">
                    {t('operator.catalogue.vat', { vat: euros(p.price.vatCents, lang) })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {p.kind === 'PLAN' ? (
                    <Select
                      aria-label={t('operator.catalogue.ruleOf', { product: p.name })}
                      data={RULES.map((r) => ({ value: r, label: t(`operator.rules.${r}`) }))}
                      value={p.pricingRule}
                      allowDeselect={false}
                      onChange={(value) => value && value !== p.pricingRule && save(p.id, { pricingRule: value })}
                      w={220}
                    />
                  ) : (
                    t(`operator.rules.${p.pricingRule}`, { defaultValue: p.pricingRule })
                  )}
                </Table.Td>
                <Table.Td>
                  <Switch aria-label={t('operator.catalogue.onSaleOf', { product: p.name })} checked={p.active} onChange={(e) => save(p.id, { active: e.currentTarget.checked })} />
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <NumberInput
                      aria-label={t('operator.catalogue.newPriceOf', { product: p.name })}
                      value={prices[p.id] ?? ''}
                      onChange={(v) => setPrices((all) => ({ ...all, [p.id]: v }))}
                      min={0}
                      decimalScale={2}
                      suffix=" €"
                      w={120}
                    />
                    <Button size="xs" disabled={prices[p.id] === undefined || prices[p.id] === ''} onClick={() => save(p.id, { priceTtcCents: Math.round(Number(prices[p.id]) * 100) })}>
                      {t('operator.catalogue.apply')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

// The directory of bailiff offices: search by name or city, nearest first from the capture place.
import { Button, Card, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';

import { graphql } from '../gql';
import { formatEuros } from '../lib/dates';
import { EmptyState } from '../shell/States';

const DIRECTORY = graphql(`
  query Directory($near: GeoPointInput, $search: String) {
    bailiffOffices(near: $near, search: $search, first: 20) {
      edges {
        node {
          id
          name
          city
          postcode
          acceptsDeposits
          constatPriceTtcCents
          distanceKm
          servesLocation
        }
      }
    }
  }
`);

export function DirectoryPicker({
  near,
  onPick,
}: {
  near: { latitude: number; longitude: number } | null;
  onPick: (officeGlobalId: string, office: { name: string; city: string }) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const [{ data, fetching }] = useQuery({
    query: DIRECTORY,
    variables: { near: near ? { latitude: near.latitude, longitude: near.longitude } : null, search: debounced || null },
    pause: !opened,
  });
  const offices = data?.bailiffOffices.edges.map((e) => e.node) ?? [];
  return (
    <>
      <Group>
        <Button variant="default" onClick={open}>
          {t('directory.open')}
        </Button>
      </Group>
      <Modal opened={opened} onClose={close} closeButtonProps={{ 'aria-label': t('common.close') }} title={t('directory.title')} size="lg">
        <Stack>
          <TextInput label={t('directory.search')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} data-autofocus />
          {!fetching && offices.length === 0 && <EmptyState>{t('directory.none')}</EmptyState>}
          {offices.map((office) => (
            <Card withBorder key={office.id} padding="sm">
              <Group justify="space-between" wrap="nowrap">
                <div>
                  <Text fw={600}>{office.name}</Text>
                  <Text size="sm">
                    {office.postcode} {office.city}
                    {office.distanceKm != null ? ` — ${t('directory.distance', { km: office.distanceKm.toFixed(1) })}` : ''}
                  </Text>
                  <Text size="xs" c="dark.6">
                    {t('directory.pvPrice', { price: formatEuros(office.constatPriceTtcCents, i18n.language) })}
                    {office.acceptsDeposits ? '' : ` — ${t('directory.notAccepting')}`}
                  </Text>
                </div>
                <Button
                  size="xs"
                  disabled={!office.acceptsDeposits}
                  onClick={async () => {
                    await onPick(office.id, { name: office.name, city: office.city });
                    close();
                  }}
                  aria-label={t('directory.chooseNamed', { name: office.name })}
                >
                  {t('directory.choose')}
                </Button>
              </Group>
            </Card>
          ))}
        </Stack>
      </Modal>
    </>
  );
}

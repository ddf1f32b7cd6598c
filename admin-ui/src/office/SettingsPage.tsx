// Office settings: its directory entry, and inviting clerks (the commissaire).
import { Button, Card, Group, NumberInput, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';

import { graphql } from '../gql';
import { useAction } from '../lib/useAction';
import { may, useViewer } from '../lib/viewer';
import { Loading } from '../shell/Loading';
import { NS } from './i18n';

const ENTRY = graphql(`
  query OfficeEntry($id: ID!) {
    node(id: $id) {
      __typename
      ... on BailiffOffice {
        id
        name
        street
        postcode
        city
        latitude
        longitude
        serviceRadiusKm
        acceptsDeposits
        constatPriceTtcCents
      }
    }
  }
`);

const UPDATE = graphql(`
  mutation OfficeUpdateEntry($input: BailiffOfficeSettingsInput!) {
    updateBailiffOffice(input: $input) {
      __typename
      ... on OfficeUpdated {
        office {
          id
          acceptsDeposits
          serviceRadiusKm
          constatPriceTtcCents
          latitude
          longitude
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const INVITE = graphql(`
  mutation OfficeInviteClerk($email: String!) {
    inviteMember(email: $email, role: CLERK) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

/** The directory entry's ID from the organisation's (same UUID, another type). */
function entryId(organisationId: string): string {
  return btoa(`BailiffOffice:${atob(organisationId).split(':')[1] ?? ''}`);
}

export function SettingsPage() {
  const { t } = useTranslation(NS);
  const viewer = useViewer();
  const [{ data, fetching }] = useQuery({ query: ENTRY, variables: { id: entryId(viewer.organisation.id) } });
  const [, update] = useMutation(UPDATE);
  const [, invite] = useMutation(INVITE);
  const { run, busy } = useAction();
  const entry = data?.node?.__typename === 'BailiffOffice' ? data.node : null;
  const [accepts, setAccepts] = useState(true);
  const [radius, setRadius] = useState<string | number>(50);
  const [price, setPrice] = useState<string | number>(180);
  const [email, setEmail] = useState('');

  useEffect(() => {
    if (!entry) return;
    setAccepts(entry.acceptsDeposits);
    setRadius(entry.serviceRadiusKm);
    setPrice(entry.constatPriceTtcCents / 100);
  }, [entry]);

  if (fetching && !data) return <Loading />;
  return (
    <Stack>
      <Title order={1}>{t('settings.title')}</Title>
      {entry && (
        <Card withBorder component="section" aria-labelledby="directory">
          <Title order={2} id="directory" mb="sm">
            {t('settings.directory')}
          </Title>
          <Text size="sm" mb="sm">
            {entry.name} — {entry.street}, {entry.postcode} {entry.city} ({entry.latitude.toFixed(4)}, {entry.longitude.toFixed(4)})
          </Text>
          <Stack>
            <Switch label={t('settings.accepts')} checked={accepts} onChange={(e) => setAccepts(e.currentTarget.checked)} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput label={t('settings.radius')} value={radius} onChange={setRadius} min={1} max={1000} suffix=" km" />
              <NumberInput label={t('settings.price')} value={price} onChange={setPrice} min={0} decimalScale={2} suffix=" €" />
            </SimpleGrid>
            <Group>
              <Button
                loading={busy}
                onClick={() =>
                  void run(
                    () =>
                      update({
                        input: { acceptsDeposits: accepts, serviceRadiusKm: Number(radius), constatPriceTtcCents: Math.round(Number(price) * 100) },
                      }),
                    { success: 'OfficeUpdated', pick: (d) => d.updateBailiffOffice, done: t('settings.saved') },
                  )
                }
              >
                {t('settings.save')}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      {may(viewer, 'members:invite') && (
        <Card withBorder component="section" aria-labelledby="members">
          <Title order={2} id="members" mb="sm">
            {t('settings.members')}
          </Title>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void run(() => invite({ email }), { success: 'InvitationPayload', pick: (d) => d.inviteMember, done: t('settings.invited') }).then((r) => r.ok && setEmail(''));
            }}
          >
            <Group align="flex-end">
              <TextInput label={t('settings.clerkEmail')} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
              <Button type="submit" loading={busy}>
                {t('settings.invite')}
              </Button>
            </Group>
          </form>
        </Card>
      )}
    </Stack>
  );
}

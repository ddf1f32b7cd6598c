// Office settings: its directory entry (coordinates, area, deposits, PV price), its members,
// and inviting clerks (the commissaire).
import { Button, Card, Group, NumberInput, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
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

const MEMBERS = graphql(`
  query OfficeMembers {
    organisation {
      id
      members(first: 100) {
        edges {
          node {
            id
            email
            fullName
            role
            status
          }
        }
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
  const [{ data: people }, refetchMembers] = useQuery({ query: MEMBERS });
  const [, update] = useMutation(UPDATE);
  const [, invite] = useMutation(INVITE);
  const { run, busy } = useAction();
  const entry = data?.node?.__typename === 'BailiffOffice' ? data.node : null;
  const [accepts, setAccepts] = useState(true);
  const [radius, setRadius] = useState<string | number>(50);
  const [price, setPrice] = useState<string | number>(180);
  const [latitude, setLatitude] = useState<string | number>('');
  const [longitude, setLongitude] = useState<string | number>('');
  const [email, setEmail] = useState('');

  useEffect(() => {
    if (!entry) return;
    setAccepts(entry.acceptsDeposits);
    setRadius(entry.serviceRadiusKm);
    setPrice(entry.constatPriceTtcCents / 100);
    setLatitude(entry.latitude);
    setLongitude(entry.longitude);
  }, [entry]);
  const members = (people?.organisation?.members.edges ?? []).map((e) => e.node).filter((m) => m.status !== 'REMOVED');

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
            {entry.name} — {entry.street}, {entry.postcode} {entry.city}
          </Text>
          <Stack>
            <Switch label={t('settings.accepts')} checked={accepts} onChange={(e) => setAccepts(e.currentTarget.checked)} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput label={t('settings.latitude')} description={t('settings.coordinatesHelp')} value={latitude} onChange={setLatitude} min={-90} max={90} decimalScale={6} />
              <NumberInput label={t('settings.longitude')} value={longitude} onChange={setLongitude} min={-180} max={180} decimalScale={6} />
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
                        input: {
                          acceptsDeposits: accepts,
                          serviceRadiusKm: Number(radius),
                          constatPriceTtcCents: Math.round(Number(price) * 100),
                          latitude: latitude === '' ? null : Number(latitude),
                          longitude: longitude === '' ? null : Number(longitude),
                        },
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
      <Card withBorder component="section" aria-labelledby="people">
        <Title order={2} id="people" mb="sm">
          {t('settings.people')}
        </Title>
        <Table data-testid="office-members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('settings.person')}</Table.Th>
              <Table.Th>{t('settings.role')}</Table.Th>
              <Table.Th>{t('settings.status')}</Table.Th>
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
                <Table.Td>{t(`roles.${m.role}`, { ns: 'translation', defaultValue: m.role })}</Table.Td>
                <Table.Td>{t(`settings.statuses.${m.status}`)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      {may(viewer, 'members:invite') && (
        <Card withBorder component="section" aria-labelledby="members">
          <Title order={2} id="members" mb="sm">
            {t('settings.members')}
          </Title>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void run(() => invite({ email }), { success: 'InvitationPayload', pick: (d) => d.inviteMember, done: t('settings.invited') }).then((r) => {
                if (!r.ok) return;
                setEmail('');
                refetchMembers({ requestPolicy: 'network-only' });
              });
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

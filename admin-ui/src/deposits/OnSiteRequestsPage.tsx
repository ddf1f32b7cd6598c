// On-site constats (OWNER/ADMIN): ask an office to come and make a constat on the spot
// (what, where, the days that suit), then accept or decline the quote and appointment it sends.
import { ActionIcon, Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';

import { graphql } from '../gql';
import type { OnSiteRequestsQuery, OnSiteStatus } from '../gql/graphql';
import { formatDateTime, formatEuros } from '../lib/dates';
import { useAction } from '../lib/useAction';
import { ConfirmButton } from '../shell/ConfirmButton';
import { DayInput, showDay } from '../shell/DayInput';
import { Loading } from '../shell/Loading';
import { EmptyState, QueryError } from '../shell/States';
import { DirectoryPicker } from './DirectoryPicker';

const MAX_DATES = 5; // as the API allows

const ON_SITE_REQUESTS = graphql(`
  query OnSiteRequests {
    organisation {
      id
      preferredOfficeId
    }
    onSiteRequests(first: 50) {
      edges {
        node {
          id
          status
          street
          postcode
          city
          addressDetails
          description
          preferredDates
          quoteTtcCents
          quoteValidUntil
          appointmentAt
          officeMessage
          createdAt
          answeredAt
          office {
            id
            name
            city
          }
        }
      }
    }
  }
`);

const OFFICE_NAME = graphql(`
  query OfficeName($id: ID!) {
    node(id: $id) {
      __typename
      ... on BailiffOffice {
        id
        name
        city
      }
    }
  }
`);

const REQUEST = graphql(`
  mutation RequestOnSiteConstat($officeId: ID!, $address: SiteAddressInput!, $description: String!, $dates: [Date!]) {
    requestOnSiteConstat(officeId: $officeId, address: $address, description: $description, preferredDates: $dates) {
      __typename
      ... on OnSiteRequestPayload {
        request {
          id
          status
        }
      }
      ... on InvalidInput {
        field
      }
      ... on Error {
        message
      }
    }
  }
`);

/** Fields the API may refuse, said in the form's own words. */
const FIELDS = ['preferredDates', 'description', 'street', 'postcode', 'city', 'details'];

const ANSWER = graphql(`
  mutation AnswerOnSiteQuote($id: ID!, $accept: Boolean!) {
    answerOnSiteQuote(requestId: $id, accept: $accept) {
      __typename
      ... on OnSiteRequestPayload {
        request {
          id
          status
          answeredAt
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

type Request = OnSiteRequestsQuery['onSiteRequests']['edges'][number]['node'];

const COLOURS: Record<OnSiteStatus, string> = {
  REQUESTED: '#a63c06',
  QUOTED: 'indigo.9',
  ACCEPTED: '#1e6b30',
  DECLINED: 'gray.8',
  REFUSED: 'red.9',
};

function OnSiteStatusBadge({ status }: { status: OnSiteStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={COLOURS[status]} variant="filled" tt="none" data-status={status} styles={{ root: { flexShrink: 0, maxWidth: 'none' }, label: { overflow: 'visible' } }}>
      {t(`constat.onSite.status.${status}`)}
    </Badge>
  );
}

/** The organisation gives its usual office as a bare UUID; the node query wants a global ID. */
export function officeGlobalId(id: string | null): string | null {
  if (!id) return null;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? btoa(`BailiffOffice:${id}`) : id;
}

function RequestForm({ preferredOfficeId: usualId, onSent }: { preferredOfficeId: string | null; onSent: () => void }) {
  const preferredOfficeId = officeGlobalId(usualId);
  const { t } = useTranslation();
  const [picked, setPicked] = useState<{ id: string; name: string; city: string } | null>(null);
  const officeId = picked?.id ?? preferredOfficeId;
  const [{ data: usual }] = useQuery({ query: OFFICE_NAME, variables: { id: preferredOfficeId ?? '' }, pause: !preferredOfficeId || !!picked });
  const usualOffice = usual?.node?.__typename === 'BailiffOffice' ? usual.node : null;
  const office = picked ?? usualOffice;
  const [street, setStreet] = useState('');
  const [postcode, setPostcode] = useState('');
  const [city, setCity] = useState('');
  const [details, setDetails] = useState('');
  const [description, setDescription] = useState('');
  const [dates, setDates] = useState<(string | null)[]>([null]);
  const [error, setError] = useState<string | null>(null);
  const [, request] = useMutation(REQUEST);
  const { run, busy } = useAction();

  async function send(event: React.FormEvent) {
    event.preventDefault();
    if (!officeId) {
      setError(t('constat.onSite.chooseOfficeFirst'));
      return;
    }
    const outcome = await run(
      () =>
        request({
          officeId,
          address: { street, postcode, city, details },
          description,
          dates: dates.filter((d): d is string => !!d),
        }),
      { success: 'OnSiteRequestPayload', pick: (d) => d.requestOnSiteConstat, done: t('constat.onSite.sent'), notifyErrors: false },
    );
    const invalid = outcome.value?.__typename === 'InvalidInput' ? outcome.value.field : null;
    setError(invalid && FIELDS.includes(invalid) ? t(`constat.onSite.invalid.${invalid}`) : outcome.error);
    if (outcome.ok) {
      setStreet('');
      setPostcode('');
      setCity('');
      setDetails('');
      setDescription('');
      setDates([null]);
      onSent();
    }
  }

  return (
    <Card withBorder component="form" onSubmit={(e: React.FormEvent) => void send(e)} aria-labelledby="onsite-new">
      <Stack>
        <Title order={2} size="h3" id="onsite-new">
          {t('constat.onSite.newTitle')}
        </Title>
        <Group justify="space-between" align="center">
          <div>
            <Text size="sm" c="dark.6">
              {t('constat.onSite.office')}
            </Text>
            <Text fw={600} data-testid="onsite-office">
              {office ? `${office.name} (${office.city})` : t('constat.onSite.noOffice')}
            </Text>
          </div>
          <DirectoryPicker near={null} onPick={async (id, chosen) => setPicked({ id, ...chosen })} />
        </Group>
        <Textarea
          label={t('constat.onSite.description')}
          description={t('constat.onSite.descriptionHelp')}
          required
          autosize
          minRows={3}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label={t('constat.fields.street')} required value={street} onChange={(e) => setStreet(e.currentTarget.value)} autoComplete="street-address" />
          <TextInput label={t('constat.fields.postcode')} required value={postcode} onChange={(e) => setPostcode(e.currentTarget.value)} autoComplete="postal-code" />
          <TextInput label={t('constat.fields.city')} required value={city} onChange={(e) => setCity(e.currentTarget.value)} autoComplete="address-level2" />
        </SimpleGrid>
        <TextInput label={t('constat.onSite.details')} description={t('constat.onSite.detailsHelp')} value={details} onChange={(e) => setDetails(e.currentTarget.value)} />
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend>
            <Text size="sm" fw={500}>
              {t('constat.onSite.dates')}
            </Text>
          </legend>
          <Stack gap="xs">
            {dates.map((day, index) => (
              <Group key={index} align="flex-end" gap="xs">
                <DayInput
                  label={t('constat.onSite.dateN', { n: index + 1 })}
                  value={day}
                  onChange={(value) => setDates((all) => all.map((d, i) => (i === index ? value : d)))}
                />
                {dates.length > 1 && (
                  <ActionIcon
                    variant="default"
                    size="lg"
                    mb={1}
                    aria-label={t('constat.onSite.removeDate', { n: index + 1 })}
                    onClick={() => setDates((all) => all.filter((_, i) => i !== index))}
                  >
                    ×
                  </ActionIcon>
                )}
              </Group>
            ))}
            {dates.length < MAX_DATES && (
              <Group>
                <Button variant="subtle" size="xs" onClick={() => setDates((all) => [...all, null])}>
                  {t('constat.onSite.addDate')}
                </Button>
              </Group>
            )}
          </Stack>
        </fieldset>
        {error && (
          <Alert color="red" role="alert" data-testid="onsite-error">
            {error}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            {t('constat.onSite.send')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function RequestCard({ request, onAnswered }: { request: Request; onAnswered: () => void }) {
  const { t, i18n } = useTranslation();
  const [, answer] = useMutation(ANSWER);
  const { run, busy } = useAction();
  const reply = (accept: boolean) =>
    run(() => answer({ id: request.id, accept }), {
      success: 'OnSiteRequestPayload',
      pick: (d) => d.answerOnSiteQuote,
      done: accept ? t('constat.onSite.accepted') : t('constat.onSite.declined'),
    }).then((outcome) => outcome.ok && onAnswered());
  return (
    <Card withBorder component="article" data-testid="onsite-request" data-status={request.status} aria-label={`${request.office?.name ?? ''} — ${request.street}, ${request.city}`}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600}>{request.office ? `${request.office.name} (${request.office.city})` : '—'}</Text>
          <OnSiteStatusBadge status={request.status} />
        </Group>
        <Text size="sm">
          {request.street}, {request.postcode} {request.city}
          {request.addressDetails ? ` — ${request.addressDetails}` : ''}
        </Text>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {request.description}
        </Text>
        {request.preferredDates.length > 0 && (
          <Text size="sm">
            {t('constat.onSite.wished', { dates: request.preferredDates.map(showDay).join(', ') })}
          </Text>
        )}
        <Text size="xs" c="dark.6">
          {t('constat.onSite.sentAt', { date: formatDateTime(request.createdAt, i18n.language) })}
        </Text>
        {request.status === 'REQUESTED' && <Text size="sm">{t('constat.onSite.waiting')}</Text>}
        {request.quoteTtcCents != null && (
          <Stack gap={4} p="sm" bg="gray.0" style={{ borderRadius: 8 }} data-testid="onsite-quote">
            <Text size="sm" fw={600}>
              {t('constat.onSite.quote', { amount: formatEuros(request.quoteTtcCents, i18n.language) })}
            </Text>
            {request.appointmentAt && <Text size="sm">{t('constat.onSite.appointment', { date: formatDateTime(request.appointmentAt, i18n.language) })}</Text>}
            {request.quoteValidUntil && request.status === 'QUOTED' && (
              <Text size="sm">{t('constat.onSite.validUntil', { date: formatDateTime(request.quoteValidUntil, i18n.language) })}</Text>
            )}
          </Stack>
        )}
        {request.officeMessage && (
          <Text size="sm">
            {t('constat.onSite.officeMessage', { message: request.officeMessage })}
          </Text>
        )}
        {request.status === 'QUOTED' && (
          <Group>
            <Button loading={busy} onClick={() => void reply(true)}>
              {t('constat.onSite.accept')}
            </Button>
            <ConfirmButton
              variant="default"
              title={t('constat.onSite.declineTitle')}
              text={t('constat.onSite.declineText')}
              confirm={t('constat.onSite.decline')}
              loading={busy}
              onConfirm={() => reply(false)}
            >
              {t('constat.onSite.decline')}
            </ConfirmButton>
          </Group>
        )}
        {request.status === 'ACCEPTED' && <Text size="sm">{t('constat.onSite.acceptedNext')}</Text>}
        {request.answeredAt && request.status !== 'QUOTED' && (
          <Text size="xs" c="dark.6">
            {t('constat.onSite.answeredAt', { date: formatDateTime(request.answeredAt, i18n.language) })}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

export function OnSiteRequestsPage() {
  const { t } = useTranslation();
  const [{ data, fetching, error }, refetch] = useQuery({ query: ON_SITE_REQUESTS, requestPolicy: 'cache-and-network' });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  if (error && !data) return <QueryError error={error} retry={reload} />;
  if (fetching && !data) return <Loading />;
  if (!data) return null;
  const requests = data.onSiteRequests.edges.map((e) => e.node);
  return (
    <Stack>
      <Title order={1}>{t('nav.onSite')}</Title>
      <Text c="dark.6">{t('constat.onSite.intro')}</Text>
      <RequestForm preferredOfficeId={data.organisation?.preferredOfficeId ?? null} onSent={reload} />
      <Title order={2} size="h3">
        {t('constat.onSite.listTitle')}
      </Title>
      {requests.length === 0 ? (
        <EmptyState>{t('constat.onSite.none')}</EmptyState>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="onsite-requests">
          {requests.map((request) => (
            <RequestCard key={request.id} request={request} onAnswered={reload} />
          ))}
        </SimpleGrid>
      )}
    </Stack>
  );
}

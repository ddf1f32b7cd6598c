// On-site constat requests: the requester's details, a quote (fee, date) or a refusal, and
// the requester's answer.
import { Badge, Button, Card, Group, NumberInput, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';

import { graphql } from '../gql';
import type { OfficeOnSiteQuery } from '../gql/graphql';
import { useAction } from '../lib/useAction';
import { DayInput, showDay } from '../shell/DayInput';
import { Loading } from '../shell/Loading';
import { EmptyState, QueryError } from '../shell/States';
import { formatInstant } from './countdown';
import { NS } from './i18n';

const REQUESTS = graphql(`
  query OfficeOnSite {
    onSiteRequests(first: 50) {
      edges {
        node {
          id
          status
          requesterName
          contactEmail
          street
          postcode
          city
          addressDetails
          description
          preferredDates
          quote
          quoteValidUntil
          appointmentAt
          officeMessage
          createdAt
          answeredAt
        }
      }
    }
  }
`);

const QUOTE = graphql(`
  mutation OfficeQuoteOnSite($input: OnSiteQuoteInput!) {
    quoteOnSiteConstat(input: $input) {
      __typename
      ... on OnSiteRequestPayload {
        request {
          id
          status
          quote
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const REFUSE = graphql(`
  mutation OfficeRefuseOnSite($id: ID!, $message: String!) {
    refuseOnSiteConstat(requestId: $id, message: $message) {
      __typename
      ... on OnSiteRequestPayload {
        request {
          id
          status
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

type Request = OfficeOnSiteQuery['onSiteRequests']['edges'][number]['node'];
const DAY = 86_400_000;

function RequestCard({ request }: { request: Request }) {
  const { t, i18n } = useTranslation(NS);
  const [fee, setFee] = useState<string | number>('');
  const [day, setDay] = useState<string | null>(null);
  const [time, setTime] = useState('');
  // A day as dd/mm/yyyy and a 24-hour time (a native datetime input follows the browser's language).
  const clock = /^([01]?\d|2[0-3])[:h]([0-5]\d)$/.exec(time.trim());
  const date = day && clock ? `${day}T${clock[1].padStart(2, '0')}:${clock[2]}` : '';
  const [message, setMessage] = useState('');
  const [, quote] = useMutation(QUOTE);
  const [, refuse] = useMutation(REFUSE);
  const { run, busy } = useAction();

  return (
    <Card withBorder component="article" data-testid="onsite-request" aria-label={t('onsite.request', { name: request.requesterName })}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h3">
            {t('onsite.request', { name: request.requesterName })}
          </Title>
          <Badge variant="filled" color="indigo.9" data-testid="onsite-status">
            {t(`onsite.status.${request.status}`)}
          </Badge>
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Text size="sm">
            {t('onsite.contact')}{t('sep')}{request.contactEmail}
          </Text>
          <Text size="sm">
            {t('onsite.address')}{t('sep')}{request.street}, {request.postcode} {request.city} {request.addressDetails}
          </Text>
          <Text size="sm">
            {t('onsite.asked')}{t('sep')}{formatInstant(request.createdAt, i18n.language)}
          </Text>
          <Text size="sm">
            {t('onsite.dates')}{t('sep')}{request.preferredDates.map(showDay).join(', ') || '—'}
          </Text>
        </SimpleGrid>
        <Text>{request.description}</Text>
        {request.quote && (
          <Text size="sm">
            {t('onsite.quoted', { quote: request.quote, date: formatInstant(request.appointmentAt, i18n.language), until: formatInstant(request.quoteValidUntil, i18n.language) })}
          </Text>
        )}
        {request.officeMessage && <Text size="sm">« {request.officeMessage} »</Text>}
        {request.answeredAt && (
          <Text size="sm" fw={600}>
            {t('onsite.answered', { status: t(`onsite.status.${request.status}`), at: formatInstant(request.answeredAt, i18n.language) })}
          </Text>
        )}
        {request.status === 'REQUESTED' && (
          <Stack gap="xs">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <NumberInput label={t('onsite.fee')} value={fee} onChange={setFee} min={1} decimalScale={2} suffix=" €" />
              <Group grow align="flex-start" gap="xs">
                <DayInput label={t('onsite.earliest')} value={day} onChange={setDay} />
                <TextInput
                  label={t('onsite.time')}
                  placeholder="09:30"
                  inputMode="numeric"
                  value={time}
                  onChange={(e) => setTime(e.currentTarget.value)}
                  error={time.trim() && !clock ? t('onsite.timeInvalid') : undefined}
                />
              </Group>
            </SimpleGrid>
            <Textarea label={t('onsite.message')} value={message} onChange={(e) => setMessage(e.currentTarget.value)} autosize minRows={2} maxLength={2000} />
            <Group>
              <Button
                loading={busy}
                disabled={!fee || !date}
                onClick={() =>
                  void run(
                    () =>
                      quote({
                        input: {
                          requestId: request.id,
                          amountTtcCents: Math.round(Number(fee) * 100),
                          appointmentAt: new Date(date).toISOString(),
                          validUntil: new Date(Math.min(new Date(date).getTime(), Date.now() + 14 * DAY)).toISOString(),
                          message,
                        },
                      }),
                    { success: 'OnSiteRequestPayload', pick: (d) => d.quoteOnSiteConstat, done: t('onsite.sent') },
                  )
                }
              >
                {t('onsite.sendQuote')}
              </Button>
              <Button
                variant="outline"
                color="red.9"
                loading={busy}
                disabled={!message.trim()}
                onClick={() => void run(() => refuse({ id: request.id, message }), { success: 'OnSiteRequestPayload', pick: (d) => d.refuseOnSiteConstat, done: t('onsite.refused') })}
              >
                {t('onsite.refuse')}
              </Button>
            </Group>
            <Text size="xs" c="dark.6">
              {t('onsite.refuseHint')}
            </Text>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

export function OnSitePage() {
  const { t } = useTranslation(NS);
  const [{ data, fetching, error }, refetch] = useQuery({ query: REQUESTS, requestPolicy: 'cache-and-network' });
  const edges = data?.onSiteRequests.edges ?? [];
  return (
    <Stack>
      <Title order={1}>{t('onsite.title')}</Title>
      {error && <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />}
      {fetching && !data && <Loading />}
      {data && edges.length === 0 && <EmptyState>{t('onsite.empty')}</EmptyState>}
      {edges.map(({ node }) => (
        <RequestCard key={node.id} request={node} />
      ))}
    </Stack>
  );
}

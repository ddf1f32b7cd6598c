// Where Stripe's checkout sends the buyer back (the platform's /billing/completed and
// /billing/cancelled redirect here): the purchase once confirmed and the new balance, or, after
// a cancellation, that nothing was charged and what to do next.
import { Alert, Anchor, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useClient, useQuery } from 'urql';

import { graphql } from '../gql';
import { formatEuros } from '../lib/dates';
import { BALANCE_QUERY } from '../lib/viewer';
import { Loading } from '../shell/Loading';
import { QueryError } from '../shell/States';

const CHECKOUT_RETURN = graphql(`
  query CheckoutReturn {
    creditBalance
    receipts {
      id
      number
      description
      credits
      receiptUrl
      price {
        ttcCents
      }
    }
    subscription {
      planId
      planName
      status
      monthlyCredits
    }
  }
`);

/** How long the page keeps asking (Stripe's webhook usually lands within seconds). */
const POLL_MS = 3000;
const POLL_LIMIT = 40;

function Balance({ credits }: { credits: number }) {
  const { t } = useTranslation();
  return (
    <Card withBorder>
      <Text size="sm" c="dark.6">
        {t('dashboard.balanceOrganisation')}
      </Text>
      <Text size="xl" fw={700} data-testid="return-balance">
        {t('header.balance', { count: credits })}
      </Text>
    </Card>
  );
}

export function CheckoutCompletedPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const purchase = params.get('purchase');
  const plan = params.get('plan');
  const [{ data, error }, refetch] = useQuery({ query: CHECKOUT_RETURN, requestPolicy: 'network-only' });
  const [polls, setPolls] = useState(0);
  const receipt = purchase ? data?.receipts.find((r) => r.id === purchase) : undefined;
  const subscribed = plan ? data?.subscription?.planId === plan : false;
  const confirmed = !!receipt || subscribed || (!purchase && !plan);
  const client = useClient();
  const credited = !!receipt || subscribed;
  // The header's balance is its own query: once the payment is confirmed, ask it again.
  useEffect(() => {
    if (credited) void client.query(BALANCE_QUERY, {}, { requestPolicy: 'network-only' }).toPromise();
  }, [credited, client]);
  useEffect(() => {
    if (!data || confirmed || polls >= POLL_LIMIT) return;
    const timer = window.setTimeout(() => {
      setPolls((n) => n + 1);
      refetch({ requestPolicy: 'network-only' });
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [data, confirmed, polls, refetch]);

  if (error && !data) return <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (!data) return <Loading />;
  return (
    <Stack maw={640}>
      <Title order={1}>{t('billing.return.completedTitle')}</Title>
      {receipt && (
        <Alert color="green" role="status" data-testid="checkout-confirmed">
          <Text size="sm">
            {t('billing.return.purchaseConfirmed', {
              description: receipt.description,
              count: receipt.credits,
              amount: formatEuros(receipt.price.ttcCents, i18n.language),
            })}
          </Text>
          <Anchor href={receipt.receiptUrl} size="sm">
            {t('billing.return.receipt', { number: receipt.number })}
          </Anchor>
        </Alert>
      )}
      {subscribed && data.subscription && (
        <Alert color="green" role="status" data-testid="checkout-confirmed">
          {t('billing.return.planConfirmed', { name: data.subscription.planName, credits: data.subscription.monthlyCredits })}
        </Alert>
      )}
      {!purchase && !plan && (
        <Alert color="green" role="status">
          {t('billing.paid')}
        </Alert>
      )}
      {!confirmed && polls < POLL_LIMIT && (
        <Alert color="indigo" role="status" data-testid="checkout-pending">
          <Group gap="sm" wrap="nowrap">
            <Loader size="sm" color="indigo.9" aria-hidden />
            <Text size="sm">{t('billing.return.pending')}</Text>
          </Group>
        </Alert>
      )}
      {!confirmed && polls >= POLL_LIMIT && (
        <Alert color="orange" role="alert" data-testid="checkout-late">
          {t('billing.return.late')}
        </Alert>
      )}
      <Balance credits={data.creditBalance} />
      <Group>
        <Button component={Link} to="/deposits/new">
          {t('nav.newDeposit')}
        </Button>
        <Button component={Link} to="/credits" variant="default">
          {t('billing.return.backToCredits')}
        </Button>
      </Group>
    </Stack>
  );
}

export function CheckoutCancelledPage() {
  const { t } = useTranslation();
  const [{ data, error }, refetch] = useQuery({ query: CHECKOUT_RETURN, requestPolicy: 'network-only' });
  if (error && !data) return <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (!data) return <Loading />;
  return (
    <Stack maw={640}>
      <Title order={1}>{t('billing.return.cancelledTitle')}</Title>
      <Alert color="gray" role="status" data-testid="checkout-cancelled">
        {t('billing.return.cancelled')}
      </Alert>
      <Balance credits={data.creditBalance} />
      <Text size="sm">{t('billing.return.whatNext')}</Text>
      <Group>
        <Button component={Link} to="/credits">
          {t('billing.return.tryAgain')}
        </Button>
        <Button component={Link} to="/" variant="default">
          {t('nav.dashboard')}
        </Button>
      </Group>
    </Stack>
  );
}

// Turning a deposit into a PV de constat: the legal identity (pre-filled, saved for next time),
// the exposé, the specimen shown in the page, payment, then the office's validation.
import { Alert, Anchor, Button, Card, Group, SimpleGrid, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient, useMutation, useQuery } from 'urql';

import { graphql } from '../gql';
import type { RequesterIdentityInput } from '../gql/graphql';
import { formatDateTime } from '../lib/dates';
import { useAction } from '../lib/useAction';
import { Loading } from '../shell/Loading';

const TERMS = graphql(`
  query ConstatTerms($id: ID!) {
    constatTerms(depositId: $id) {
      price
      office {
        name
        city
      }
      requester {
        legalForm
        companyName
        siren
        rcsCity
        street
        postcode
        city
        representativeFirstName
        representativeLastName
      }
      openOrder {
        ...ConstatOrderFacts
      }
    }
    constatOrders(first: 50) {
      edges {
        node {
          ...ConstatOrderFacts
          deposit {
            id
          }
        }
      }
    }
  }
  fragment ConstatOrderFacts on ConstatOrder {
    id
    status
    price
    createdAt
    paidAt
    issuedAt
    validatedBy
    document {
      filename
      downloadUrl
    }
  }
`);

const ORDER = graphql(`
  mutation OrderConstat($input: OrderConstatInput!) {
    orderConstat(input: $input) {
      __typename
      ... on ConstatOrderPayload {
        order {
          id
          status
        }
      }
      ... on LegalIdentityIncomplete {
        missingFields
      }
      ... on Error {
        message
      }
    }
  }
`);

const SPECIMEN = graphql(`
  query ConstatSpecimen($id: ID!) {
    constatSpecimen(orderId: $id) {
      filename
      base64
    }
  }
`);

const PAY = graphql(`
  mutation PayConstat($id: ID!) {
    payConstatOrder(orderId: $id) {
      __typename
      ... on ConstatPaymentStarted {
        checkoutUrl
        completed
      }
      ... on Error {
        message
      }
    }
  }
`);

const FIELDS = [
  'legalForm',
  'companyName',
  'siren',
  'rcsCity',
  'street',
  'postcode',
  'city',
  'representativeFirstName',
  'representativeLastName',
] as const satisfies readonly (keyof RequesterIdentityInput)[];

function Specimen({ orderId }: { orderId: string }) {
  const { t } = useTranslation();
  const client = useClient();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let made: string | null = null;
    void client
      .query(SPECIMEN, { id: orderId }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((result) => {
        const pdf = result.data?.constatSpecimen;
        if (!pdf) return;
        const bytes = Uint8Array.from(atob(pdf.base64), (c) => c.charCodeAt(0));
        made = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
        setUrl(made);
      });
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [client, orderId]);
  if (!url) return <Loading />;
  return (
    <Stack gap="xs" data-testid="specimen">
      <iframe src={url} title={t('constat.specimen')} style={{ width: '100%', height: 480, border: '1px solid #ccc' }} />
      <Anchor href={url} download="specimen.pdf" size="sm">
        {t('constat.downloadSpecimen')}
      </Anchor>
    </Stack>
  );
}

export function ConstatSection({ depositId, status }: { depositId: string; status: string }) {
  const { t, i18n } = useTranslation();
  const [{ data, fetching }, refetch] = useQuery({ query: TERMS, variables: { id: depositId } });
  const [, order] = useMutation(ORDER);
  const [, pay] = useMutation(PAY);
  const { run, busy } = useAction();
  const [identity, setIdentity] = useState<RequesterIdentityInput | null>(null);
  const [expose, setExpose] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const terms = data?.constatTerms;
  useEffect(() => {
    // Only the input's fields: the cached object also carries `__typename`, which inputs refuse.
    if (terms && !identity) setIdentity(Object.fromEntries(FIELDS.map((f) => [f, terms.requester[f]])) as RequesterIdentityInput);
  }, [terms, identity]);

  if (fetching && !data) return <Loading />;
  const issued = (data?.constatOrders.edges ?? []).map((e) => e.node).filter((o) => o.deposit?.id === depositId && o.status === 'ISSUED');
  const open = terms?.openOrder;

  async function place(event: React.FormEvent) {
    event.preventDefault();
    if (!identity) return;
    const outcome = await run(() => order({ input: { depositId, requester: identity, expose } }), {
      success: 'ConstatOrderPayload',
      pick: (d) => d.orderConstat,
      done: t('constat.ordered'),
    });
    setMissing(outcome.value?.__typename === 'LegalIdentityIncomplete' ? [...outcome.value.missingFields] : []);
    if (outcome.ok) reload();
  }

  async function payOrder(id: string) {
    const outcome = await run(() => pay({ id }), { success: 'ConstatPaymentStarted', pick: (d) => d.payConstatOrder });
    if (outcome.value?.__typename !== 'ConstatPaymentStarted') return;
    if (outcome.value.completed) reload();
    else window.location.assign(outcome.value.checkoutUrl);
  }

  return (
    <Card withBorder component="section" aria-labelledby="constat-title">
      <Title order={2} size="h3" id="constat-title" mb="sm">
        {t('constat.title')}
      </Title>
      {issued.map((o) => (
        <Alert key={o.id} color="green" mb="sm" data-testid="constat-issued">
          {t('constat.issued', { date: formatDateTime(o.issuedAt, i18n.language), name: o.validatedBy ?? '' })}{' '}
          {o.document && <Anchor href={o.document.downloadUrl}>{t('constat.downloadPv')}</Anchor>}
        </Alert>
      ))}
      {!terms && issued.length === 0 && <Text size="sm">{t(status === 'DRAFT' ? 'constat.sealFirst' : 'constat.unavailable')}</Text>}
      {terms && open && (
        <Stack data-testid="constat-order">
          <Text>
            {t('constat.orderStatus')}: <strong>{t(`constatStatus.${open.status}`)}</strong> — {open.price} — {terms.office.name}
          </Text>
          {open.status === 'AWAITING_PAYMENT' && (
            <Group>
              <Button onClick={() => void payOrder(open.id)} loading={busy}>
                {t('constat.pay', { price: open.price })}
              </Button>
            </Group>
          )}
          {open.status === 'AWAITING_VALIDATION' && <Text size="sm">{t('constat.awaitingValidation')}</Text>}
          <Specimen orderId={open.id} />
        </Stack>
      )}
      {terms && !open && identity && (
        <form onSubmit={(event) => void place(event)}>
          <Stack>
            <Text size="sm">{t('constat.explain', { office: `${terms.office.name} (${terms.office.city})`, price: terms.price })}</Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {FIELDS.map((field) => (
                <TextInput
                  key={field}
                  label={t(`constat.fields.${field}`)}
                  value={identity[field] ?? ''}
                  error={missing.includes(field) ? t('constat.required') : undefined}
                  onChange={(e) => setIdentity({ ...identity, [field]: e.currentTarget.value })}
                />
              ))}
            </SimpleGrid>
            <Textarea label={t('constat.expose')} description={t('constat.exposeHelp')} minRows={4} autosize required value={expose} onChange={(e) => setExpose(e.currentTarget.value)} />
            <Group>
              <Button type="submit" loading={busy}>
                {t('constat.order')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}

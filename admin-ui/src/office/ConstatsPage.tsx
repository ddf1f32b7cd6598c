// PVs de constat paid and awaiting validation: clerks prepare the exposé, the commissaire signs.
import { Alert, Button, Card, Group, Modal, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient, useMutation, useQuery } from 'urql';

import { graphql } from '../gql';
import type { OfficeConstatsQuery } from '../gql/graphql';

import { useAction } from '../lib/useAction';
import { may, useViewer } from '../lib/viewer';
import { ConfirmButton } from '../shell/ConfirmButton';
import { Loading } from '../shell/Loading';
import { EmptyState, QueryError } from '../shell/States';
import { formatInstant } from './countdown';
import { NS } from './i18n';

const ORDERS = graphql(`
  query OfficeConstats {
    constatOrders(status: AWAITING_VALIDATION, first: 50) {
      edges {
        node {
          id
          status
          expose
          correctedExpose
          price
          paidAt
          validatedAt
          validatedBy
          requester {
            companyName
            legalForm
            representativeFirstName
            representativeLastName
          }
          deposit {
            id
            reference
            title
          }
        }
      }
    }
  }
`);

const SPECIMEN = graphql(`
  query OfficeSpecimen($id: ID!) {
    constatSpecimen(orderId: $id) {
      base64
      filename
    }
  }
`);

const PREPARE = graphql(`
  mutation OfficePrepareConstat($id: ID!, $expose: String!) {
    prepareConstat(orderId: $id, correctedExpose: $expose) {
      __typename
      ... on ConstatOrderPayload {
        order {
          id
          correctedExpose
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const VALIDATE = graphql(`
  mutation OfficeValidateConstat($id: ID!, $expose: String) {
    validateConstat(orderId: $id, correctedExpose: $expose) {
      __typename
      ... on ConstatOrderPayload {
        order {
          id
          validatedAt
          validatedBy
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

type Order = OfficeConstatsQuery['constatOrders']['edges'][number]['node'];

function Specimen({ id }: { id: string }) {
  const { t } = useTranslation(NS);
  const client = useClient();
  const [opened, { open, close }] = useDisclosure(false);
  const [url, setUrl] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  async function show() {
    setLoading(true);
    const result = await client.query(SPECIMEN, { id }, { requestPolicy: 'network-only' }).toPromise();
    setLoading(false);
    const pdf = result.data?.constatSpecimen;
    if (!pdf) return;
    const bytes = Uint8Array.from(atob(pdf.base64), (c) => c.charCodeAt(0));
    setUrl(URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' })));
    open();
  }

  return (
    <>
      <Button variant="default" loading={loading} onClick={() => void show()}>
        {t('constats.specimen')}
      </Button>
      <Modal opened={opened} onClose={close} closeButtonProps={{ 'aria-label': t('common.close', { ns: 'translation' }) }} title={t('constats.specimenTitle')} size="xl" centered>
        {url && <iframe src={url} title={t('constats.specimenTitle')} style={{ width: '100%', height: '75vh', border: 0 }} />}
      </Modal>
    </>
  );
}

function OrderCard({ order, onDone }: { order: Order; onDone: () => void }) {
  const { t, i18n } = useTranslation(NS);
  const viewer = useViewer();
  const [expose, setExpose] = useState(order.correctedExpose ?? order.expose);
  const [, prepare] = useMutation(PREPARE);
  const [, validate] = useMutation(VALIDATE);
  const { run, busy } = useAction();
  const signer = may(viewer, 'constat:validate');
  const changed = expose !== (order.correctedExpose ?? order.expose);

  return (
    <Card withBorder component="article" data-testid="constat-order" aria-label={t('constats.order', { company: order.requester.companyName, reference: order.deposit?.reference ?? '' })}>
      <Stack>
        <Title order={2} size="h3">
          {t('constats.order', { company: order.requester.companyName, reference: order.deposit?.reference ?? '' })}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Text size="sm">
            {t('constats.requester')}{t('sep')}{order.requester.companyName}, {order.requester.legalForm} — {order.requester.representativeFirstName} {order.requester.representativeLastName}
          </Text>
          <Text size="sm">
            {t('constats.paidAt')}{t('sep')}{formatInstant(order.paidAt, i18n.language)}
          </Text>
          <Text size="sm">
            {t('constats.price')}{t('sep')}{order.price}
          </Text>
        </SimpleGrid>
        {order.validatedAt ? (
          <Alert color="green">{t('constats.validatedBy', { name: order.validatedBy, at: formatInstant(order.validatedAt, i18n.language) })}</Alert>
        ) : (
          <>
            <Textarea label={t('constats.expose')} value={expose} onChange={(e) => setExpose(e.currentTarget.value)} autosize minRows={4} maxLength={5000} />
            <Group>
              <Button variant="light" disabled={!changed} loading={busy} onClick={() => void run(() => prepare({ id: order.id, expose }), { success: 'ConstatOrderPayload', pick: (d) => d.prepareConstat, done: t('constats.saved') })}>
                {t('constats.save')}
              </Button>
              <Specimen id={order.id} />
              {signer ? (
                <ConfirmButton
                  title={t('constats.validateTitle')}
                  text={t('constats.validateText')}
                  confirm={t('constats.validate')}
                  loading={busy}
                  onConfirm={() =>
                    run(() => validate({ id: order.id, expose: changed ? expose : null }), { success: 'ConstatOrderPayload', pick: (d) => d.validateConstat, done: t('constats.validated') }).then(onDone)
                  }
                >
                  {t('constats.validate')}
                </ConfirmButton>
              ) : (
                <Text size="sm" c="dark.6" data-testid="commissaire-only">
                  {t('constats.commissaireOnly')}
                </Text>
              )}
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}

export function ConstatsPage() {
  const { t } = useTranslation(NS);
  const [{ data, fetching, error }, refetch] = useQuery({ query: ORDERS, requestPolicy: 'cache-and-network' });
  const edges = data?.constatOrders.edges ?? [];
  return (
    <Stack>
      <Title order={1}>{t('constats.title')}</Title>
      <Text c="dark.6">{t('constats.intro')}</Text>
      {error && <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />}
      {fetching && !data && <Loading />}
      {data && edges.length === 0 && <EmptyState>{t('constats.empty')}</EmptyState>}
      {edges.map(({ node }) => (
        <OrderCard key={node.id} order={node} onDone={() => refetch({ requestPolicy: 'network-only' })} />
      ))}
    </Stack>
  );
}

import { Alert, Anchor, Button, Card, Code, Group, List, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useClient, useMutation, useQuery } from 'urql';

import { graphql } from '../gql';
import { formatDateTime } from '../lib/dates';
import { useAction } from '../lib/useAction';
import { may, useViewer } from '../lib/viewer';
import { ConfirmButton } from '../shell/ConfirmButton';
import { Loading } from '../shell/Loading';
import { NotFoundPage } from '../shell/NotFoundPage';
import { QueryError } from '../shell/States';
import { ConstatSection } from './ConstatSection';
import { ItemsList } from './ItemsList';
import { DepositStatusBadge } from './status';
import { SubmissionSection } from './SubmissionSection';

const DEPOSIT = graphql(`
  query Deposit($id: ID!) {
    node(id: $id) {
      __typename
      ... on Deposit {
        id
        reference
        kind
        status
        title
        description
        address {
          street
          postcode
          city
        }
        createdAt
        sealedAt
        signedBy
        creditsSpent
        certificateUrl
        certificateValidUntil
        exportUrl
        integrity {
          status
          batchSequences
          verificationUrl
          anchors {
            chainId
            transactionHash
            blockNumber
            confirmations
            label
          }
        }
        items {
          id
          sha256
          size
          mediaType
          capturedAt
          receivedAt
          clockSkewFlagged
          location {
            latitude
            longitude
            accuracyMeters
          }
          noLocationReason
          comment
          downloadUrl
          credentialsUrl
          thumbnailUrl
        }
        submission {
          id
          status
          submittedAt
          dueAt
          overdue
          decidedAt
          reason
          comment
          refunded
          creditsSpent
          office {
            name
            city
          }
          attestation {
            filename
            sha256
            createdAt
            downloadUrl
          }
        }
      }
    }
  }
`);

const PROOF_BUNDLE = graphql(`
  query ProofBundle($id: ID!) {
    node(id: $id) {
      ... on Deposit {
        reference
        proofBundle
      }
    }
  }
`);

const DELETE = graphql(`
  mutation DeleteDeposit($id: ID!) {
    deleteDeposit(depositId: $id) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

export function DepositPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const viewer = useViewer();
  const navigate = useNavigate();
  const client = useClient();
  const [{ data, fetching, error }, refetch] = useQuery({ query: DEPOSIT, variables: { id } });
  const [, remove] = useMutation(DELETE);
  const { run } = useAction();
  const reload = () => refetch({ requestPolicy: 'network-only' });

  if (error && !data) return <QueryError error={error} retry={reload} />;
  if (fetching && !data) return <Loading />;
  const deposit = data?.node?.__typename === 'Deposit' ? data.node : null;
  if (!deposit) return <NotFoundPage />;

  async function downloadBundle() {
    const result = await client.query(PROOF_BUNDLE, { id }).toPromise();
    const bundle = result.data?.node && 'proofBundle' in result.data.node ? result.data.node.proofBundle : null;
    if (!bundle) return;
    const url = URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/json' }));
    const link = Object.assign(document.createElement('a'), { href: url, download: `${deposit!.reference}-proof-bundle.json` });
    link.click();
    URL.revokeObjectURL(url);
  }

  async function deleteDraft() {
    const outcome = await run(() => remove({ id }), {
      success: 'DepositDeleted',
      pick: (d) => d.deleteDeposit,
      done: t('deposit.deleted'),
    });
    if (outcome.ok) await navigate('/deposits');
  }

  const integrity = deposit.integrity;
  const sealed = deposit.status !== 'DRAFT' && deposit.status !== 'DELETED';
  return (
    <Stack>
      <Anchor component={Link} to="/deposits" size="sm">
        ← {t('nav.archive')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1}>{deposit.title || t('archive.untitled')}</Title>
          <Group gap="xs">
            <Text fw={600} data-testid="deposit-reference">
              {deposit.reference}
            </Text>
            <DepositStatusBadge status={deposit.status} />
          </Group>
        </div>
        {deposit.status === 'DRAFT' && (
          <ConfirmButton
            color="red.9"
            variant="outline"
            title={t('deposit.deleteTitle')}
            text={t('deposit.deleteDraftText')}
            confirm={t('deposit.delete')}
            onConfirm={deleteDraft}
          >
            {t('deposit.deleteDraft')}
          </ConfirmButton>
        )}
      </Group>
      <Card withBorder>
        <Stack gap={4}>
          <Text size="sm">
            {t('deposit.createdAt')}: {formatDateTime(deposit.createdAt, i18n.language)}
          </Text>
          {deposit.sealedAt && (
            <Text size="sm">
              {t('deposit.sealedAt')}: {formatDateTime(deposit.sealedAt, i18n.language)}
              {deposit.signedBy ? ` — ${t('deposit.signedBy', { name: deposit.signedBy })}` : ''}
            </Text>
          )}
          {(deposit.address.street || deposit.address.city) && (
            <Text size="sm">
              {t('deposit.address')}: {[deposit.address.street, deposit.address.postcode, deposit.address.city].filter(Boolean).join(' ')}
            </Text>
          )}
          {deposit.description && <Text size="sm">{deposit.description}</Text>}
          <Text size="sm">{t('deposit.creditsSpent', { count: deposit.creditsSpent })}</Text>
        </Stack>
      </Card>
      {sealed && (
        <Group>
          {deposit.certificateUrl ? (
            <>
              <Button component="a" href={deposit.certificateUrl} variant="light">
                {t('deposit.certificate')}
              </Button>
              {deposit.certificateValidUntil && (
                <Text size="sm" c="dark.6" data-testid="certificate-valid-until">
                  {t('deposit.certificateValidUntil', {
                    date: formatDateTime(deposit.certificateValidUntil, i18n.language),
                  })}
                </Text>
              )}
            </>
          ) : (
            <Text size="sm" c="dark.6">
              {t('deposit.certificatePending')}
            </Text>
          )}
          <Button variant="light" onClick={() => void downloadBundle()}>
            {t('deposit.proofBundle')}
          </Button>
          {deposit.exportUrl && (
            <Button component="a" href={deposit.exportUrl} variant="light">
              {t('deposit.export')}
            </Button>
          )}
        </Group>
      )}
      {integrity && (
        <Card withBorder>
          <Title order={2} size="h4">
            {t('deposit.integrity')}
          </Title>
          <Text size="sm" data-testid="integrity-status">
            {t(`integrity.${integrity.status}`)}
          </Text>
          {integrity.anchors.length > 0 && (
            <List size="sm">
              {integrity.anchors.map((anchor) => (
                <List.Item key={anchor.transactionHash}>
                  {t('deposit.anchor', { chain: anchor.chainId, block: anchor.blockNumber ?? '—', confirmations: anchor.confirmations ?? 0 })}{' '}
                  <Code>{anchor.transactionHash}</Code>
                  {anchor.label ? ` — ${anchor.label}` : ''}
                </List.Item>
              ))}
            </List>
          )}
          <Anchor href={integrity.verificationUrl} size="sm">
            {t('deposit.publicCheck')}
          </Anchor>
        </Card>
      )}
      <Title order={2} size="h3">
        {t('deposit.items', { count: deposit.items.length })}
      </Title>
      {deposit.items.length === 0 ? <Alert color="gray">{t('deposit.noItems')}</Alert> : <ItemsList items={deposit.items} />}
      {sealed && <SubmissionSection deposit={deposit} onChange={reload} />}
      {sealed && may(viewer, 'constat:order') && <ConstatSection depositId={deposit.id} status={deposit.status} />}
    </Stack>
  );
}

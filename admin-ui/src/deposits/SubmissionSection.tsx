// Sending a sealed deposit to a bailiff office, and following its review up to the attestation.
import { Anchor, Button, Card, Code, Group, Radio, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';

import { graphql } from '../gql';
import type { DepositQuery } from '../gql/graphql';
import { formatDateTime } from '../lib/dates';
import { useAction } from '../lib/useAction';
import { may, useViewer } from '../lib/viewer';
import { DirectoryPicker } from './DirectoryPicker';
import { DepositStatusBadge } from './status';

type Deposit = Extract<NonNullable<DepositQuery['node']>, { __typename: 'Deposit' }>;

const OFFICE_CHOICE = graphql(`
  query OfficeChoice {
    organisation {
      id
      officeChoice
      preferredOfficeId
    }
  }
`);

export const CHOOSE_OFFICE = graphql(`
  mutation ChooseOffice($choice: OfficeChoice!, $officeId: ID) {
    chooseBailiffOffice(choice: $choice, officeId: $officeId) {
      __typename
      ... on OfficeChosen {
        officeChoice
        preferredOffice {
          id
          name
          city
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const SUBMIT = graphql(`
  mutation SubmitDeposit($id: ID!) {
    submitDeposit(depositId: $id) {
      __typename
      ... on SubmissionPayload {
        submission {
          id
          status
          office {
            name
          }
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

function Submitted({ submission }: { submission: NonNullable<Deposit['submission']> }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap={6} data-testid="submission">
      <Group gap="xs">
        <Text fw={600}>{submission.office?.name ?? '—'}</Text>
        <DepositStatusBadge status={submission.status} />
      </Group>
      <Text size="sm">
        {t('submission.submittedAt')}: {formatDateTime(submission.submittedAt, i18n.language)}
      </Text>
      {!submission.decidedAt && (
        <Text size="sm" c={submission.overdue ? 'red.9' : undefined}>
          {t('dashboard.dueAt')}: {formatDateTime(submission.dueAt, i18n.language)}
          {submission.overdue ? ` — ${t('dashboard.overdue')}` : ''}
        </Text>
      )}
      {submission.decidedAt && (
        <Text size="sm">
          {t('submission.decidedAt')}: {formatDateTime(submission.decidedAt, i18n.language)}
        </Text>
      )}
      {submission.reason && (
        <Text size="sm">
          {t('submission.reason')}: {t(`rejection.${submission.reason}`)} {submission.comment && `— ${submission.comment}`}
        </Text>
      )}
      {submission.refunded && <Text size="sm">{t('submission.refunded')}</Text>}
      {submission.attestation && (
        <Card withBorder bg="green.0" data-testid="attestation">
          <Text fw={600}>{t('submission.attestation')}</Text>
          <Text size="sm">{formatDateTime(submission.attestation.createdAt, i18n.language)}</Text>
          <Text size="xs">
            SHA-256 <Code>{submission.attestation.sha256}</Code>
          </Text>
          <Anchor href={submission.attestation.downloadUrl}>{t('submission.downloadAttestation')}</Anchor>
        </Card>
      )}
    </Stack>
  );
}

export function SubmissionSection({ deposit, onChange }: { deposit: Deposit; onChange: () => void }) {
  const { t } = useTranslation();
  const viewer = useViewer();
  const chooser = may(viewer, 'organisation:update');
  const [{ data }, refetchChoice] = useQuery({ query: OFFICE_CHOICE, pause: !chooser });
  const [, choose] = useMutation(CHOOSE_OFFICE);
  const [, submit] = useMutation(SUBMIT);
  const { run, busy } = useAction();
  const choice = data?.organisation?.officeChoice ?? 'NEAREST';
  const preferredId = data?.organisation?.preferredOfficeId;
  const [{ data: preferred }] = useQuery({
    query: PREFERRED_OFFICE,
    variables: { id: preferredId ? officeGlobalId(preferredId) : '' },
    pause: !preferredId,
  });
  const preferredName = preferred?.node?.__typename === 'BailiffOffice' ? `${preferred.node.name} (${preferred.node.city})` : null;
  const near = deposit.items.find((item) => item.location)?.location;

  async function setChoice(next: 'NEAREST' | 'PREFERRED', officeId?: string) {
    await run(() => choose({ choice: next, officeId: officeId ?? null }), {
      success: 'OfficeChosen',
      pick: (d) => d.chooseBailiffOffice,
      done: t('submission.choiceSaved'),
    });
    refetchChoice({ requestPolicy: 'network-only' });
  }

  async function send() {
    const outcome = await run(() => submit({ id: deposit.id }), {
      success: 'SubmissionPayload',
      pick: (d) => d.submitDeposit,
      done: t('submission.sent'),
    });
    if (outcome.ok) onChange();
  }

  return (
    <Card withBorder component="section" aria-labelledby="submission-title">
      <Title order={2} size="h3" id="submission-title" mb="sm">
        {t('submission.title')}
      </Title>
      {deposit.submission ? (
        <Submitted submission={deposit.submission} />
      ) : (
        <Stack>
          <Text size="sm">{t('submission.explain')}</Text>
          {chooser && (
            <Radio.Group label={t('submission.where')} value={choice} onChange={(value) => void setChoice(value as 'NEAREST' | 'PREFERRED', value === 'PREFERRED' && preferredId ? officeGlobalId(preferredId) : undefined)}>
              <Stack gap="xs" mt={4}>
                <Radio value="NEAREST" label={t('submission.nearest')} />
                <Radio value="PREFERRED" disabled={!preferredId} label={preferredName ? t('submission.myOffice', { name: preferredName }) : t('submission.noPreferred')} />
              </Stack>
            </Radio.Group>
          )}
          {chooser && <DirectoryPicker near={near ?? null} onPick={(officeId) => setChoice('PREFERRED', officeId)} />}
          <Group>
            <Button onClick={() => void send()} loading={busy}>
              {t('submission.submit')}
            </Button>
          </Group>
        </Stack>
      )}
    </Card>
  );
}

const PREFERRED_OFFICE = graphql(`
  query PreferredOffice($id: ID!) {
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

/** The organisation gives its office as a bare id; the API's node lookups take global ids. */
function officeGlobalId(id: string): string {
  return btoa(`BailiffOffice:${id}`);
}

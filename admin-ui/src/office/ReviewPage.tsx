// The review screen: every item large, its proofs, the live file re-check, then the decision.
import { Alert, Anchor, Badge, Button, Card, Checkbox, Code, Group, Image, Modal, Radio, Select, SimpleGrid, Stack, Text, Textarea, Title, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';

import { Fact } from '../deposits/ItemsList';
import { DepositStatusBadge } from '../deposits/status';
import { graphql } from '../gql';
import type { OfficeReviewQuery, RejectionReason } from '../gql/graphql';

import { useAction } from '../lib/useAction';
import { useViewer } from '../lib/viewer';
import { ConfirmButton } from '../shell/ConfirmButton';
import { Loading } from '../shell/Loading';
import { NotFoundPage } from '../shell/NotFoundPage';
import { QueryError } from '../shell/States';
import { formatInstant, submissionId } from './countdown';
import { NS } from './i18n';
import { CLAIM, Deadline, UNCLAIM } from './QueuePage';

const REASONS: RejectionReason[] = [
  'UNUSABLE_BLURRED',
  'UNUSABLE_EXPOSURE',
  'TERMS_SEXUAL',
  'TERMS_DISCRIMINATORY',
  'TERMS_DEFAMATORY',
  'TERMS_IMAGE_RIGHTS',
  'TERMS_ILLEGAL',
  'OTHER',
];

const REVIEW = graphql(`
  query OfficeReview($id: ID!) {
    node(id: $id) {
      __typename
      ... on Submission {
        id
        status
        requesterName
        authorName
        submittedAt
        dueAt
        overdue
        claimedBy
        decidedAt
        decidedBy
        reason
        comment
        rejectedItemIds
        attestation {
          filename
          sha256
          downloadUrl
          signerCertificateFingerprint
        }
        deposit {
          id
          reference
          title
          description
          items {
            id
            sha256
            mediaType
            capturedAt
            receivedAt
            clockSkewFlagged
            comment
            downloadUrl
            thumbnailUrl
            noLocationReason
            location {
              latitude
              longitude
              accuracyMeters
            }
          }
        }
      }
    }
  }
`);

const CHECKS = graphql(`
  query OfficeFileChecks($id: ID!) {
    reviewFileChecks(submissionId: $id) {
      itemId
      expectedSha256
      actualSha256
      matches
      checkedAt
    }
  }
`);

const ACCEPT = graphql(`
  mutation OfficeAccept($id: ID!) {
    acceptDeposit(submissionId: $id) {
      __typename
      ... on SubmissionPayload {
        submission {
          id
          status
          decidedBy
          decidedAt
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const REJECT = graphql(`
  mutation OfficeReject($input: RejectDepositInput!) {
    rejectDeposit(input: $input) {
      __typename
      ... on SubmissionPayload {
        submission {
          id
          status
          reason
          comment
          rejectedItemIds
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

type Submission = Extract<NonNullable<OfficeReviewQuery['node']>, { __typename: 'Submission' }>;
type Item = NonNullable<Submission['deposit']>['items'][number];
type Check = { itemId: string; actualSha256?: string | null; matches: boolean; checkedAt: string };

function Medium({ item, n, reference }: { item: Item; n: number; reference: string }) {
  const { t } = useTranslation(NS);
  const [opened, { open, close }] = useDisclosure(false);
  const video = item.mediaType?.startsWith('video/');
  if (!item.downloadUrl) return <Text c="dark.6">{item.mediaType ?? '—'}</Text>;
  if (video) {
    return <video controls preload="metadata" src={item.downloadUrl} aria-label={t('review.video', { n, reference })} style={{ width: '100%', maxHeight: 480, background: '#000' }} />;
  }
  return (
    <>
      <UnstyledButton onClick={open} aria-label={t('review.zoom', { n })} style={{ cursor: 'zoom-in' }}>
        <Image src={item.downloadUrl} alt={t('review.photo', { n, reference })} mah={480} fit="contain" radius="sm" bg="gray.1" />
      </UnstyledButton>
      <Modal opened={opened} onClose={close} closeButtonProps={{ 'aria-label': t('common.close', { ns: 'translation' }) }} size="100%" title={t('review.photo', { n, reference })} centered>
        <Image src={item.downloadUrl} alt={t('review.photo', { n, reference })} fit="contain" style={{ maxHeight: '85vh' }} />
      </Modal>
    </>
  );
}

function CheckLine({ check }: { check: Check | undefined }) {
  const { t, i18n } = useTranslation(NS);
  if (!check) return <Text size="sm">…</Text>;
  return (
    <Stack gap={2}>
      {check.matches ? (
        <Badge color="#1e6b30" variant="filled" data-testid="check-ok">
          {t('review.checkOk')}
        </Badge>
      ) : (
        <Badge color="red.9" variant="filled" data-testid="check-bad" tt="none">
          {check.actualSha256 ? t('review.checkBad', { actual: check.actualSha256.slice(0, 16) }) : t('review.checkMissing')}
        </Badge>
      )}
      <Text size="xs" c="dark.6">
        {t('review.checkedAt', { at: formatInstant(check.checkedAt, i18n.language) })}
      </Text>
    </Stack>
  );
}

function RejectDialog({ submission, onDone }: { submission: Submission; onDone: () => void }) {
  const { t } = useTranslation(NS);
  const [opened, { open, close }] = useDisclosure(false);
  const [scope, setScope] = useState<'all' | 'some'>('all');
  const [picked, setPicked] = useState<string[]>([]);
  const [reason, setReason] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [, reject] = useMutation(REJECT);
  const { run, busy } = useAction();
  const items = submission.deposit?.items ?? [];

  async function submit() {
    if (scope === 'some' && picked.length === 0) return setProblem(t('review.pickOne'));
    const result = await run(
      () =>
        reject({
          input: {
            submissionId: submission.id,
            reason: reason as RejectionReason,
            comment,
            itemIds: scope === 'some' ? picked : null,
          },
        }),
      { success: 'SubmissionPayload', pick: (d) => d.rejectDeposit, done: t('review.rejected'), notifyErrors: false },
    );
    if (result.ok) {
      close();
      onDone();
    } else setProblem(result.error);
  }

  return (
    <>
      <Button color="red.9" variant="outline" onClick={open}>
        {t('review.reject')}
      </Button>
      <Modal opened={opened} onClose={close} closeButtonProps={{ 'aria-label': t('common.close', { ns: 'translation' }) }} title={t('review.rejectTitle')} centered size="lg">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Stack>
            <Radio.Group label={t('review.scope')} value={scope} onChange={(value) => setScope(value as 'all' | 'some')}>
              <Stack gap="xs" mt="xs">
                <Radio value="all" label={t('review.scopeAll')} />
                <Radio value="some" label={t('review.scopeSome')} />
              </Stack>
            </Radio.Group>
            {scope === 'some' && (
              <Checkbox.Group label={t('review.pick')} value={picked} onChange={setPicked}>
                <Stack gap="xs" mt="xs">
                  {items.map((item, index) => (
                    <Checkbox key={item.id} value={item.id} label={`${t('review.item', { n: index + 1 })} — ${item.sha256?.slice(0, 12) ?? ''}…`} />
                  ))}
                </Stack>
              </Checkbox.Group>
            )}
            <Select label={t('review.reason')} required value={reason} onChange={setReason} data={REASONS.map((r) => ({ value: r, label: t(`reasons.${r}`) }))} />
            <Textarea label={t('review.comment')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} autosize minRows={3} maxLength={2000} />
            {problem && (
              <Alert color="red" role="alert">
                {problem}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel', { ns: 'translation' })}
              </Button>
              <Button type="submit" color="red.9" loading={busy} disabled={!reason}>
                {t('review.confirmReject')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

export function ReviewPage() {
  const { t, i18n } = useTranslation(NS);
  const viewer = useViewer();
  const id = submissionId(useParams().id ?? '');
  const [{ data, fetching, error }, refetch] = useQuery({ query: REVIEW, variables: { id }, requestPolicy: 'cache-and-network' });
  const [{ data: checks, fetching: checking }, recheck] = useQuery({ query: CHECKS, variables: { id }, requestPolicy: 'network-only' });
  const [, accept] = useMutation(ACCEPT);
  const [, claim] = useMutation(CLAIM);
  const [, unclaim] = useMutation(UNCLAIM);
  const { run, busy } = useAction();
  const submission = data?.node?.__typename === 'Submission' ? data.node : null;
  const decided = submission && !['SUBMITTED', 'IN_REVIEW'].includes(submission.status);
  const waitingAttestation = decided && submission.status !== 'REJECTED' && !submission.attestation;

  // The attestation is signed by a background job: look again until it is there.
  useEffect(() => {
    if (!waitingAttestation) return;
    const timer = window.setInterval(() => refetch({ requestPolicy: 'network-only' }), 2000);
    return () => window.clearInterval(timer);
  }, [waitingAttestation, refetch]);

  if (error) return <QueryError error={error} retry={() => refetch({ requestPolicy: 'network-only' })} />;
  if (fetching && !data) return <Loading />;
  if (!submission || !submission.deposit) return <NotFoundPage />;
  const deposit = submission.deposit;
  const byItem = new Map((checks?.reviewFileChecks ?? []).map((c) => [c.itemId, c]));
  const me = viewer.user.fullName || viewer.user.email;
  const refresh = () => refetch({ requestPolicy: 'network-only' });

  return (
    <Stack>
      <Anchor component={Link} to="/office" size="sm">
        ← {t('review.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Title order={1}>{t('review.title', { reference: deposit.reference })}</Title>
        <DepositStatusBadge status={submission.status} />
      </Group>
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} component="dl" m={0}>
          <Fact label={t('review.requester')}>{submission.requesterName}</Fact>
          <Fact label={t('review.author')}>{submission.authorName}</Fact>
          <Fact label={t('review.submittedAt')}>{formatInstant(submission.submittedAt, i18n.language)}</Fact>
<Fact label={t('review.dueAt')}>
            <Deadline dueAt={submission.dueAt} overdue={submission.overdue} open={!decided} />
          </Fact>
        </SimpleGrid>
        <Text fw={600} mt="sm">
          {deposit.title}
        </Text>
        {deposit.description && <Text size="sm">{deposit.description}</Text>}
      </Card>

      <Group justify="space-between">
        <Title order={2}>{t('review.items', { count: deposit.items.length })}</Title>
        <Button variant="light" loading={checking} onClick={() => recheck({ requestPolicy: 'network-only' })}>
          {t('review.recheck')}
        </Button>
      </Group>
      <Stack>
        {deposit.items.map((item, index) => (
          <Card withBorder key={item.id} component="article" aria-label={t('review.item', { n: index + 1 })} data-testid="review-item" data-rejected={submission.rejectedItemIds.includes(item.id)}>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <Medium item={item} n={index + 1} reference={deposit.reference} />
              <Stack gap="xs" style={{ minWidth: 0 }}>
                <Group gap="xs">
                  <Title order={3} size="h4">
                    {t('review.item', { n: index + 1 })}
                  </Title>
                  {submission.rejectedItemIds.includes(item.id) && (
                    <Badge color="red.9" variant="filled">
                      {t('review.setAside')}
                    </Badge>
                  )}
                </Group>
                <Stack gap="xs" component="dl" m={0}>
                <Fact label={t('review.sha256')}>
                  <Code>{item.sha256 ?? '—'}</Code>
                </Fact>
                <Fact label={t('review.check')}>
                  <CheckLine check={byItem.get(item.id)} />
                </Fact>
                <Fact label={t('review.capturedAt')}>{formatInstant(item.capturedAt, i18n.language)}</Fact>
                <Fact label={t('review.receivedAt')}>
                  {formatInstant(item.receivedAt, i18n.language)}
                  {item.clockSkewFlagged ? ` — ${t('review.clockSkew')}` : ''}
                </Fact>
                <Fact label={t('review.gps')}>
                  {item.location
                    ? t('review.gpsValue', {
                        lat: item.location.latitude.toFixed(5),
                        lon: item.location.longitude.toFixed(5),
                        accuracy: Math.round(item.location.accuracyMeters),
                      })
                    : (item.noLocationReason ?? t('review.noGps'))}
                </Fact>
                {item.comment && <Fact label="—">{item.comment}</Fact>}
                </Stack>
                {item.downloadUrl && (
                  <Anchor href={item.downloadUrl} size="sm" target="_blank" rel="noopener">
                    {t('review.original')}
                  </Anchor>
                )}
              </Stack>
            </SimpleGrid>
          </Card>
        ))}
      </Stack>

      <Card withBorder component="section" aria-labelledby="decision">
        <Title order={2} id="decision" mb="sm">
          {t('review.decision')}
        </Title>
        {!decided && (
          <Stack>
            {!submission.claimedBy && <Text size="sm">{t('review.claimFirst')}</Text>}
            <Group>
              {!submission.claimedBy && (
                <Button variant="light" loading={busy} onClick={() => void run(() => claim({ id }), { success: 'SubmissionPayload', pick: (d) => d.claimSubmission, done: t('queue.claimed') })}>
                  {t('queue.claim')}
                </Button>
              )}
              {submission.claimedBy === me && (
                <>
                  <ConfirmButton
                    color="#1e6b30"
                    title={t('review.acceptTitle')}
                    text={t('review.acceptText')}
                    confirm={t('review.accept')}
                    loading={busy}
                    onConfirm={() => run(() => accept({ id }), { success: 'SubmissionPayload', pick: (d) => d.acceptDeposit, done: t('review.accepted') }).then(refresh)}
                  >
                    {t('review.accept')}
                  </ConfirmButton>
                  <RejectDialog submission={submission} onDone={refresh} />
                  <Button variant="default" loading={busy} onClick={() => void run(() => unclaim({ id }), { success: 'SubmissionPayload', pick: (d) => d.unclaimSubmission, done: t('queue.unclaimed') })}>
                    {t('queue.unclaim')}
                  </Button>
                </>
              )}
              {submission.claimedBy && submission.claimedBy !== me && <Text size="sm">{t('review.claimedBy')}{t('sep')}{submission.claimedBy}</Text>}
            </Group>
          </Stack>
        )}
        {decided && (
          <Stack gap="xs" data-testid="decision">
            <Text>
              {t('review.decided', {
                status: t(`status.${submission.status}`, { ns: 'translation' }),
                by: submission.decidedBy ?? '—',
                at: formatInstant(submission.decidedAt, i18n.language),
              })}
            </Text>
            {submission.reason && <Text size="sm">{t('review.reasonShown', { reason: t(`reasons.${submission.reason}`) })}</Text>}
            {submission.comment && <Text size="sm">« {submission.comment} »</Text>}
          </Stack>
        )}
      </Card>

      {decided && submission.status !== 'REJECTED' && (
        <Card withBorder component="section" aria-labelledby="attestation" data-testid="attestation">
          <Title order={2} id="attestation" mb="sm">
            {t('review.attestation')}
          </Title>
          {submission.attestation ? (
            <Stack gap="xs">
              <Anchor href={submission.attestation.downloadUrl}>{t('review.download')}</Anchor>
              <Text size="sm">{submission.attestation.filename}</Text>
              <Code>{submission.attestation.sha256}</Code>
            </Stack>
          ) : (
            <Text size="sm">{t('review.attestationPending')}</Text>
          )}
        </Card>
      )}
    </Stack>
  );
}

// Moving credits between the organisation and one member, with the balance before and after.
import { Alert, Button, Group, Modal, NumberInput, SegmentedControl, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';

import { graphql } from '../gql';
import { useAction } from '../lib/useAction';

const TRANSFER = graphql(`
  mutation TransferCredits($memberId: ID!, $amount: Int!, $key: String!) {
    transferCredits(memberId: $memberId, amount: $amount, idempotencyKey: $key) {
      ...CreditsMovedResult
    }
  }
  fragment CreditsMovedResult on CreditsResult {
    __typename
    ... on CreditsMoved {
      credits
      organisationBalance
      memberBalance
    }
    ... on Error {
      message
    }
  }
`);

const RECLAIM = graphql(`
  mutation ReclaimCredits($memberId: ID!, $amount: Int!, $key: String!) {
    reclaimCredits(memberId: $memberId, amount: $amount, idempotencyKey: $key) {
      ...CreditsMovedResult
    }
  }
`);

type Direction = 'transfer' | 'reclaim';

export function CreditsDialog({ memberId, name, balance, onDone }: { memberId: string; name: string; balance: number; onDone: () => void }) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const [direction, setDirection] = useState<Direction>('transfer');
  const [amount, setAmount] = useState<number>(1);
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [result, setResult] = useState<{ before: number; after: number; organisation: number } | null>(null);
  const [, transfer] = useMutation(TRANSFER);
  const [, reclaim] = useMutation(RECLAIM);
  const { run, busy } = useAction();
  const after = direction === 'transfer' ? balance + amount : balance - amount;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const variables = { memberId, amount, key };
    const outcome =
      direction === 'transfer'
        ? await run(() => transfer(variables), { success: 'CreditsMoved', pick: (d) => d.transferCredits })
        : await run(() => reclaim(variables), { success: 'CreditsMoved', pick: (d) => d.reclaimCredits });
    if (outcome.value?.__typename === 'CreditsMoved') {
      setResult({ before: balance, after: outcome.value.memberBalance ?? after, organisation: outcome.value.organisationBalance });
      setKey(crypto.randomUUID());
      onDone();
    }
  }

  return (
    <>
      <Button size="xs" variant="light" onClick={() => { setResult(null); open(); }} aria-label={t('members.creditsFor', { name })}>
        {t('members.credits')}
      </Button>
      <Modal opened={opened} onClose={close} closeButtonProps={{ 'aria-label': t('common.close') }} title={t('members.creditsFor', { name })}>
        {result ? (
          <Stack>
            <Alert color="green" role="status" data-testid="credits-moved">
              {t('members.moved', { before: result.before, after: result.after, organisation: result.organisation })}
            </Alert>
            <Button onClick={close}>{t('common.close')}</Button>
          </Stack>
        ) : (
          <form onSubmit={(event) => void submit(event)}>
            <Stack>
              <SegmentedControl
                value={direction}
                onChange={(value) => setDirection(value as Direction)}
                data={[
                  { value: 'transfer', label: t('members.transfer') },
                  { value: 'reclaim', label: t('members.reclaim') },
                ]}
                aria-label={t('members.direction')}
              />
              <NumberInput label={t('members.amount')} min={1} max={100000} value={amount} onChange={(v) => setAmount(typeof v === 'number' ? v : 1)} required />
              <Text size="sm" data-testid="balance-preview">
                {t('members.preview', { before: balance, after })}
              </Text>
              <Group justify="flex-end">
                <Button variant="default" onClick={close}>
                  {t('common.cancel')}
                </Button>
                <Button type="submit" loading={busy} disabled={after < 0}>
                  {direction === 'transfer' ? t('members.transfer') : t('members.reclaim')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Modal>
    </>
  );
}

import { Button, Card, Group, NumberInput, Select, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';

import { graphql } from '../gql';
import type { Role } from '../gql/graphql';
import { useAction } from '../lib/useAction';

export const INVITE = graphql(`
  mutation InviteMember($email: String!, $role: Role!, $credits: Int!) {
    inviteMember(email: $email, role: $role, credits: $credits) {
      __typename
      ... on InvitationPayload {
        member {
          id
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

export const INVITABLE: Role[] = ['COLLABORATOR', 'CLIENT', 'ADMIN'];

export function InviteForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('COLLABORATOR');
  const [credits, setCredits] = useState<number>(0);
  const [, invite] = useMutation(INVITE);
  const { run, busy } = useAction();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const outcome = await run(() => invite({ email, role, credits }), {
      success: 'InvitationPayload',
      pick: (d) => d.inviteMember,
      done: t('members.invited', { email }),
    });
    if (outcome.ok) {
      setEmail('');
      setCredits(0);
      onDone();
    }
  }

  return (
    <Card withBorder component="form" onSubmit={(event: React.FormEvent) => void submit(event)}>
      <Title order={2} size="h4" mb="xs">
        {t('members.invite')}
      </Title>
      <Group align="flex-end">
        <TextInput label={t('auth.email')} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <Select label={t('members.role')} value={role} onChange={(v) => setRole((v as Role) ?? 'COLLABORATOR')} data={INVITABLE.map((r) => ({ value: r, label: t(`roles.${r}`) }))} allowDeselect={false} />
        <NumberInput label={t('members.initialCredits')} min={0} value={credits} onChange={(v) => setCredits(typeof v === 'number' ? v : 0)} w={140} />
        <Button type="submit" loading={busy}>
          {t('members.sendInvitation')}
        </Button>
      </Group>
    </Card>
  );
}

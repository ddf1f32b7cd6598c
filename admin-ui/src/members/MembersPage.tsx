// Members (OWNER/ADMIN): roles, status, each member's credits, invitations, transfers.
import { Badge, Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';

import { graphql } from '../gql';
import type { Role } from '../gql/graphql';
import { formatShort } from '../lib/dates';
import { useAction } from '../lib/useAction';
import { useSession, useViewer } from '../lib/viewer';
import { ConfirmButton } from '../shell/ConfirmButton';
import { Loading } from '../shell/Loading';
import { QueryError } from '../shell/States';
import { CreditsDialog } from './CreditsDialog';
import { INVITABLE, INVITE, InviteForm } from './InviteForm';

const MEMBERS = graphql(`
  query Members {
    creditBalance
    subscription {
      seats
      planName
    }
    organisation {
      id
      members(first: 100) {
        edges {
          node {
            id
            email
            fullName
            role
            status
            joinedAt
            creditBalance
          }
        }
      }
    }
  }
`);

const MEMBER_RESULT = graphql(`
  fragment MemberResultFields on MemberResult {
    __typename
    ... on Error {
      message
    }
  }
`);
void MEMBER_RESULT;

const UPDATE_ROLE = graphql(`
  mutation UpdateMemberRole($id: ID!, $role: Role!) {
    updateMemberRole(memberId: $id, role: $role) {
      ...MemberResultFields
    }
  }
`);

const REMOVE = graphql(`
  mutation RemoveMember($id: ID!) {
    removeMember(memberId: $id) {
      ...MemberResultFields
    }
  }
`);

const TRANSFER_OWNERSHIP = graphql(`
  mutation TransferOwnership($id: ID!) {
    transferOwnership(memberId: $id) {
      ...MemberResultFields
    }
  }
`);

export function MembersPage() {
  const { t, i18n } = useTranslation();
  const viewer = useViewer();
  const { reset } = useSession();
  const [{ data, fetching, error }, refetch] = useQuery({ query: MEMBERS });
  const [, updateRole] = useMutation(UPDATE_ROLE);
  const [, remove] = useMutation(REMOVE);
  const [, transferOwnership] = useMutation(TRANSFER_OWNERSHIP);
  const [, invite] = useMutation(INVITE);
  const { run } = useAction();
  const reload = () => refetch({ requestPolicy: 'network-only' });

  if (error && !data) return <QueryError error={error} retry={reload} />;
  if (fetching && !data) return <Loading />;
  const members = (data?.organisation?.members.edges ?? []).map((e) => e.node).filter((m) => m.status !== 'REMOVED');
  const seats = data?.subscription?.seats;
  return (
    <Stack>
      <Title order={1}>{t('nav.members')}</Title>
      <Text size="sm" data-testid="seats">
        {seats ? t('members.seats', { used: members.length, allowed: seats }) : t('members.seatsNoPlan', { used: members.length })} ·{' '}
        {t('members.organisationBalance', { count: data?.creditBalance ?? 0 })}
      </Text>
      <InviteForm onDone={reload} />
      <Table.ScrollContainer minWidth={820}>
        <Table data-testid="members-table" verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('members.person')}</Table.Th>
              <Table.Th>{t('members.role')}</Table.Th>
              <Table.Th>{t('members.status')}</Table.Th>
              <Table.Th>{t('billing.credits')}</Table.Th>
              <Table.Th>{t('members.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.map((m) => {
              const name = m.fullName || m.email;
              const self = m.email === viewer.user.email;
              return (
                <Table.Tr key={m.id} data-email={m.email}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {m.fullName || '—'}
                    </Text>
                    <Text size="xs" c="dark.6">
                      {m.email} · {formatShort(m.joinedAt, i18n.language)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {m.role === 'OWNER' || self ? (
                      t(`roles.${m.role}`)
                    ) : (
                      <Select
                        size="xs"
                        aria-label={t('members.roleOf', { name })}
                        value={m.role}
                        allowDeselect={false}
                        data={INVITABLE.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                        onChange={(role) =>
                          void run(() => updateRole({ id: m.id, role: role as Role }), {
                            success: 'MemberPayload',
                            pick: (d) => d.updateMemberRole,
                            done: t('members.roleChanged'),
                          }).then(reload)
                        }
                      />
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={m.status === 'ACTIVE' ? '#1e6b30' : 'gray.8'} tt="none" styles={{ label: { overflow: 'visible' } }}>{t(`members.statuses.${m.status}`)}</Badge>
                  </Table.Td>
                  <Table.Td data-testid="member-balance">{m.role === 'OWNER' || m.role === 'ADMIN' ? '—' : (m.creditBalance ?? '—')}</Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      {m.role !== 'OWNER' && !self && <CreditsDialog memberId={m.id} name={name} balance={m.creditBalance ?? 0} onDone={reload} />}
                      {m.status === 'INVITED' && (
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() =>
                            void run(() => invite({ email: m.email, role: m.role, credits: 0 }), {
                              success: 'InvitationPayload',
                              pick: (d) => d.inviteMember,
                              done: t('members.invited', { email: m.email }),
                            })
                          }
                        >
                          {t('members.reinvite')}
                        </Button>
                      )}
                      {viewer.role === 'OWNER' && !self && m.status === 'ACTIVE' && (
                        <ConfirmButton
                          size="xs"
                          variant="default"
                          title={t('members.ownershipTitle')}
                          text={t('members.ownershipText', { name })}
                          confirm={t('members.transferOwnership')}
                          onConfirm={() =>
                            run(() => transferOwnership({ id: m.id }), {
                              success: 'MemberPayload',
                              pick: (d) => d.transferOwnership,
                              done: t('members.ownershipDone'),
                            }).then((outcome) => {
                              // The viewer is an administrator now: ask the API again who they are.
                              if (outcome.ok) reset();
                              else reload();
                            })
                          }
                        >
                          {t('members.transferOwnership')}
                        </ConfirmButton>
                      )}
                      {!self && m.role !== 'OWNER' && (
                        <ConfirmButton
                          size="xs"
                          color="red.9"
                          variant="outline"
                          title={t('members.removeTitle')}
                          text={t('members.removeText', { name })}
                          confirm={t('members.remove')}
                          onConfirm={() =>
                            run(() => remove({ id: m.id }), { success: 'MemberPayload', pick: (d) => d.removeMember, done: t('members.removed') }).then(reload)
                          }
                        >
                          {t('members.remove')}
                        </ConfirmButton>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

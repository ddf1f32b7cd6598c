// Organisation settings (OWNER/ADMIN): profile and legal identity, usual office, capture,
// keys, audit log.
import { Button, Card, Group, Radio, SimpleGrid, Stack, Switch, Table, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';

import { DirectoryPicker } from '../deposits/DirectoryPicker';
import type { LegalIdentityInput } from '../gql/graphql';
import { formatShort } from '../lib/dates';
import { useAction } from '../lib/useAction';
import { Loading } from '../shell/Loading';
import { QueryError } from '../shell/States';
import { KeysSection } from './KeysSection';
import { CAPTURE_SETTINGS, ORGANISATION, PROPOSE_OFFICE, UPDATE_PROFILE } from './operations';
import { CHOOSE_OFFICE } from '../deposits/SubmissionSection';

const LEGAL_FIELDS = [
  'companyName',
  'legalForm',
  'siren',
  'rcsCity',
  'street',
  'postcode',
  'city',
  'representativeFirstName',
  'representativeLastName',
] as const satisfies readonly (keyof LegalIdentityInput)[];

export function OrganisationPage() {
  const { t, i18n } = useTranslation();
  const [{ data, fetching, error }, refetch] = useQuery({ query: ORGANISATION });
  const [, updateProfile] = useMutation(UPDATE_PROFILE);
  const [, captureSettings] = useMutation(CAPTURE_SETTINGS);
  const [, choose] = useMutation(CHOOSE_OFFICE);
  const [, propose] = useMutation(PROPOSE_OFFICE);
  const { run, busy } = useAction();
  const [name, setName] = useState('');
  const [legal, setLegal] = useState<Record<string, string>>({});
  const [proposal, setProposal] = useState({ name: '', city: '' });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const organisation = data?.organisation;
  useEffect(() => {
    if (!organisation) return;
    setName(organisation.name);
    setLegal(Object.fromEntries(LEGAL_FIELDS.map((f) => [f, organisation.legalIdentity[f] ?? ''])));
  }, [organisation]);

  if (error && !data) return <QueryError error={error} retry={reload} />;
  if ((fetching && !data) || !data || !organisation) return <Loading />;

  return (
    <Stack>
      <Title order={1}>{t('nav.organisation')}</Title>
      <Card
        withBorder
        component="form"
        onSubmit={(event: React.FormEvent) => {
          event.preventDefault();
          void run(() => updateProfile({ name, legalIdentity: legal }), {
            success: 'OrganisationPayload',
            pick: (d) => d.updateOrganisationProfile,
            done: t('organisation.saved'),
          }).then(reload);
        }}
      >
        <Title order={2} size="h3" mb="sm">
          {t('organisation.profile')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('auth.organisationName')} value={name} onChange={(e) => setName(e.currentTarget.value)} required />
          {LEGAL_FIELDS.map((field) => (
            <TextInput
              key={field}
              label={field === 'siren' ? t('auth.siren') : t(`constat.fields.${field}`)}
              value={legal[field] ?? ''}
              onChange={(e) => setLegal({ ...legal, [field]: e.currentTarget.value })}
            />
          ))}
        </SimpleGrid>
        <Group mt="md">
          <Button type="submit" loading={busy}>
            {t('common.save')}
          </Button>
        </Group>
      </Card>
      <Card withBorder component="section">
        <Title order={2} size="h3" mb="sm">
          {t('organisation.office')}
        </Title>
        <Stack>
          <Radio.Group
            label={t('submission.where')}
            value={organisation.officeChoice}
            onChange={(value) =>
              void run(
                () =>
                  choose({
                    choice: value as 'NEAREST' | 'PREFERRED',
                    officeId: value === 'PREFERRED' && organisation.preferredOfficeId ? btoa(`BailiffOffice:${organisation.preferredOfficeId}`) : null,
                  }),
                { success: 'OfficeChosen', pick: (d) => d.chooseBailiffOffice, done: t('submission.choiceSaved') },
              ).then(reload)
            }
          >
            <Stack gap="xs" mt={4}>
              <Radio value="NEAREST" label={t('submission.nearest')} />
              <Radio value="PREFERRED" disabled={!organisation.preferredOfficeId} label={t('organisation.preferred')} />
            </Stack>
          </Radio.Group>
          <DirectoryPicker
            near={null}
            onPick={(officeId) =>
              run(() => choose({ choice: 'PREFERRED', officeId }), { success: 'OfficeChosen', pick: (d) => d.chooseBailiffOffice, done: t('submission.choiceSaved') }).then(reload)
            }
          />
          <Group align="flex-end">
            <TextInput label={t('organisation.proposeName')} value={proposal.name} onChange={(e) => setProposal({ ...proposal, name: e.currentTarget.value })} />
            <TextInput label={t('constat.fields.city')} value={proposal.city} onChange={(e) => setProposal({ ...proposal, city: e.currentTarget.value })} />
            <Button
              variant="default"
              onClick={() =>
                void run(() => propose(proposal), { success: 'OfficeProposed', pick: (d) => d.proposeBailiffOffice, done: t('organisation.proposed') })
              }
            >
              {t('organisation.propose')}
            </Button>
          </Group>
        </Stack>
      </Card>
      <Card withBorder component="section">
        <Title order={2} size="h3" mb="sm">
          {t('organisation.capture')}
        </Title>
        <Switch
          label={t('organisation.locationRequired')}
          checked={organisation.captureLocationRequired}
          onChange={(e) =>
            void run(() => captureSettings({ required: e.currentTarget.checked }), {
              success: 'CaptureSettingsPayload',
              pick: (d) => d.updateCaptureSettings,
              done: t('organisation.saved'),
            }).then(reload)
          }
        />
      </Card>
      <KeysSection data={data} onChange={reload} />
      <Card withBorder component="section">
        <Title order={2} size="h3" mb="sm">
          {t('organisation.audit')}
        </Title>
        <Table.ScrollContainer minWidth={500}>
          <Table data-testid="audit-log">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('billing.date')}</Table.Th>
                <Table.Th>{t('organisation.action')}</Table.Th>
                <Table.Th>{t('organisation.target')}</Table.Th>
                <Table.Th>IP</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.auditLog.edges.map(({ node }) => (
                <Table.Tr key={node.id}>
                  <Table.Td>{formatShort(node.createdAt, i18n.language)}</Table.Td>
                  <Table.Td>{t(`audit.${node.action}`, { defaultValue: node.action })}</Table.Td>
                  <Table.Td>{node.target ?? '—'}</Table.Td>
                  <Table.Td>{node.ip ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  );
}

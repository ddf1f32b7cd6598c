// My account: profile and language, password, notifications, account deletion.
import { Alert, Button, Card, Checkbox, Group, PasswordInput, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMutation } from 'urql';

import { PasswordField } from '../auth/PasswordField';
import { graphql } from '../gql';
import { rememberLanguage, type Language } from '../i18n';
import { useAction } from '../lib/useAction';
import { useSession, useViewer } from '../lib/viewer';
import { NotificationSettings } from '../notifications/NotificationSettings';
import { ConfirmButton } from '../shell/ConfirmButton';

const UPDATE_ME = graphql(`
  mutation UpdateMyProfile($fullName: String, $locale: String) {
    updateMyProfile(fullName: $fullName, locale: $locale) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

const CHANGE_PASSWORD = graphql(`
  mutation ChangePassword($current: String!, $next: String!) {
    changePassword(currentPassword: $current, newPassword: $next) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

const NOTIFICATIONS = graphql(`
  mutation UpdateNotifications($email: Boolean, $push: Boolean) {
    updateNotificationPreferences(email: $email, push: $push) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

const DELETE_ACCOUNT = graphql(`
  mutation DeleteAccount($password: String!, $deleteOrganisations: Boolean!) {
    deleteAccount(password: $password, deleteOrganisations: $deleteOrganisations) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

export function AccountPage() {
  const { t, i18n } = useTranslation();
  const viewer = useViewer();
  const { reset } = useSession();
  const navigate = useNavigate();
  const [fullName, setFullName] = useState(viewer.user.fullName);
  const [locale, setLocale] = useState(viewer.user.locale === 'en' ? 'en' : 'fr');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [deletePassword, setDeletePassword] = useState('');
  const [deleteOrganisations, setDeleteOrganisations] = useState(false);
  const [, updateMe] = useMutation(UPDATE_ME);
  const [, changePassword] = useMutation(CHANGE_PASSWORD);
  const [, notifications] = useMutation(NOTIFICATIONS);
  const [, deleteAccount] = useMutation(DELETE_ACCOUNT);
  const { run, busy } = useAction();

  async function saveProfile(event: React.FormEvent) {
    event.preventDefault();
    const outcome = await run(() => updateMe({ fullName, locale }), {
      success: 'PersonPayload',
      pick: (d) => d.updateMyProfile,
      done: t('account.saved'),
    });
    if (outcome.ok) {
      rememberLanguage(locale as Language);
      await i18n.changeLanguage(locale);
    }
  }

  async function savePassword(event: React.FormEvent) {
    event.preventDefault();
    const outcome = await run(() => changePassword({ current, next }), {
      success: 'OkPayload',
      pick: (d) => d.changePassword,
      done: t('account.passwordChanged'),
    });
    if (outcome.ok) {
      setCurrent('');
      setNext('');
    }
  }

  return (
    <Stack maw={720}>
      <Title order={1}>{t('nav.account')}</Title>
      <Card withBorder component="form" onSubmit={(event: React.FormEvent) => void saveProfile(event)}>
        <Title order={2} size="h3" mb="sm">
          {t('account.profile')}
        </Title>
        <Stack>
          <TextInput label={t('auth.email')} value={viewer.user.email} readOnly />
          <TextInput label={t('auth.fullName')} value={fullName} onChange={(e) => setFullName(e.currentTarget.value)} required />
          <Select
            label={t('account.language')}
            description={t('account.languageHelp')}
            value={locale}
            allowDeselect={false}
            onChange={(v) => setLocale(v ?? 'fr')}
            data={[
              { value: 'fr', label: 'Français' },
              { value: 'en', label: 'English' },
            ]}
          />
          <Group>
            <Button type="submit" loading={busy}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </Card>
      <Card withBorder component="form" onSubmit={(event: React.FormEvent) => void savePassword(event)}>
        <Title order={2} size="h3" mb="sm">
          {t('account.password')}
        </Title>
        <Stack>
          <PasswordInput label={t('account.currentPassword')} autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.currentTarget.value)} />
          <PasswordField label={t('auth.newPassword')} value={next} onChange={setNext} />
          <Text size="sm" c="dark.6">
            {t('account.otherSessions')}
          </Text>
          <Group>
            <Button type="submit" loading={busy}>
              {t('account.changePassword')}
            </Button>
          </Group>
        </Stack>
      </Card>
      <Card withBorder component="section">
        <Title order={2} size="h3" mb="sm">
          {t('account.notifications')}
        </Title>
        <Stack>
          <Switch
            label={t('account.notifyEmail')}
            defaultChecked={viewer.user.notifyEmail}
            onChange={(e) => void run(() => notifications({ email: e.currentTarget.checked }), { success: 'NotificationPreferences', pick: (d) => d.updateNotificationPreferences, done: t('account.saved') })}
          />
          <Switch
            label={t('account.notifyPush')}
            defaultChecked={viewer.user.notifyPush}
            onChange={(e) => void run(() => notifications({ push: e.currentTarget.checked }), { success: 'NotificationPreferences', pick: (d) => d.updateNotificationPreferences, done: t('account.saved') })}
          />
        </Stack>
      </Card>
      <NotificationSettings />
      <Card withBorder component="section" style={{ borderColor: 'var(--mantine-color-red-4)' }}>
        <Title order={2} size="h3" mb="sm">
          {t('account.delete')}
        </Title>
        <Stack>
          <Alert color="gray">{t('account.deleteExplain')}</Alert>
          <PasswordInput label={t('auth.password')} autoComplete="current-password" value={deletePassword} onChange={(e) => setDeletePassword(e.currentTarget.value)} />
          {viewer.role === 'OWNER' && (
            <Checkbox label={t('account.deleteOrganisations')} checked={deleteOrganisations} onChange={(e) => setDeleteOrganisations(e.currentTarget.checked)} />
          )}
          <Group>
            <ConfirmButton
              color="red.9"
              disabled={!deletePassword}
              title={t('account.deleteTitle')}
              text={t('account.deleteConfirm')}
              confirm={t('account.deleteForGood')}
              onConfirm={async () => {
                const outcome = await run(() => deleteAccount({ password: deletePassword, deleteOrganisations }), {
                  success: 'OkPayload',
                  pick: (d) => d.deleteAccount,
                });
                if (outcome.ok) {
                  await navigate('/login?deleted=1');
                  reset();
                }
              }}
            >
              {t('account.delete')}
            </ConfirmButton>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}

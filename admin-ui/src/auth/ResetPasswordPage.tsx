import { Button, Stack, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMutation } from 'urql';

import { graphql } from '../gql';
import { useAction } from '../lib/useAction';
import { AuthNotice } from './AuthNotice';
import { FormError } from './FormError';
import { PasswordField } from './PasswordField';

const RESET_PASSWORD = graphql(`
  mutation ResetPassword($token: String!, $newPassword: String!) {
    resetPassword(token: $token, newPassword: $newPassword) {
      __typename
      ... on Error {
        message
      }
      ... on WeakPassword {
        unmetRules
      }
    }
  }
`);

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const token = useSearchParams()[0].get('token') ?? '';
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(token ? null : t('auth.missingToken'));
  const [serverUnmet, setServerUnmet] = useState<string[]>([]);
  const [, reset] = useMutation(RESET_PASSWORD);
  const { run, busy } = useAction();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const outcome = await run(() => reset({ token, newPassword: password }), {
      success: 'OkPayload',
      pick: (d) => d.resetPassword,
      notifyErrors: false,
    });
    setError(outcome.error);
    setServerUnmet(outcome.value?.__typename === 'WeakPassword' ? [...outcome.value.unmetRules] : []);
    setDone(outcome.ok);
  }

  if (done) {
    return <AuthNotice title={t('auth.resetTitle')} message={t('auth.resetDone')} to="/login" action={t('auth.logInLink')} />;
  }
  return (
    <form onSubmit={(event) => void submit(event)}>
      <Stack>
        <Title order={1} size="h2">
          {t('auth.resetTitle')}
        </Title>
        <FormError message={error} />
        <PasswordField label={t('auth.newPassword')} value={password} onChange={setPassword} serverUnmet={serverUnmet} />
        <Button type="submit" loading={busy} disabled={!token}>
          {t('auth.reset')}
        </Button>
      </Stack>
    </form>
  );
}

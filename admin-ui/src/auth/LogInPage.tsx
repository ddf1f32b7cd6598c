import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useMutation } from 'urql';

import { graphql } from '../gql';
import { useAction } from '../lib/useAction';
import { useSession } from '../lib/viewer';
import { FormError } from './FormError';

const LOG_IN = graphql(`
  mutation LogIn($email: String!, $password: String!) {
    logIn(email: $email, password: $password) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

/** Only paths inside the app: `next` never sends anyone to another site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LogInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const { viewer, reset } = useSession();
  const navigate = useNavigate();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [, logIn] = useMutation(LOG_IN);
  const { run, busy } = useAction();
  if (viewer) return <Navigate to={safeNext(params.get('next'))} replace />;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const outcome = await run(() => logIn({ email, password }), {
      success: 'LogInPayload',
      pick: (data) => data.logIn,
      notifyErrors: false,
    });
    setError(outcome.error);
    if (outcome.ok) {
      await navigate(safeNext(params.get('next')), { replace: true });
      reset();
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)}>
      <Stack>
        <Title order={1} size="h2">
          {t('auth.logInTitle')}
        </Title>
        {params.get('loggedOut') && <Alert color="gray">{t('auth.loggedOut')}</Alert>}
        <FormError message={error} />
        <TextInput label={t('auth.email')} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <PasswordInput label={t('auth.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
        <Button type="submit" loading={busy}>
          {t('auth.logIn')}
        </Button>
        <Anchor component={Link} to="/forgot-password" size="sm">
          {t('auth.forgot')}
        </Anchor>
        <Text size="sm">
          {t('auth.noAccount')}{' '}
          <Anchor component={Link} to="/signup">
            {t('auth.signUpLink')}
          </Anchor>
        </Text>
      </Stack>
    </form>
  );
}

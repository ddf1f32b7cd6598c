import { Alert, Anchor, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation } from 'urql';

import { graphql } from '../gql';
import { useAction } from '../lib/useAction';
import { FormError } from './FormError';

const REQUEST_RESET = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email) {
      __typename
    }
  }
`);

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [, request] = useMutation(REQUEST_RESET);
  const { run, busy } = useAction();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const outcome = await run(() => request({ email }), {
      success: 'OkPayload',
      pick: (d) => d.requestPasswordReset,
      notifyErrors: false,
    });
    setError(outcome.error);
    setSent(outcome.ok);
  }

  return (
    <form onSubmit={(event) => void submit(event)}>
      <Stack>
        <Title order={1} size="h2">
          {t('auth.forgotTitle')}
        </Title>
        <Text size="sm">{t('auth.forgotHelp')}</Text>
        {sent && (
          <Alert color="green" role="status">
            {t('auth.linkSent')}
          </Alert>
        )}
        <FormError message={error} />
        <TextInput label={t('auth.email')} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <Button type="submit" loading={busy}>
          {t('auth.sendLink')}
        </Button>
        <Anchor component={Link} to="/login" size="sm">
          {t('auth.logInLink')}
        </Anchor>
      </Stack>
    </form>
  );
}

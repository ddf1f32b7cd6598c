import { Button, Checkbox, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useMutation } from 'urql';

import { graphql } from '../gql';
import { useAction } from '../lib/useAction';
import { useSession } from '../lib/viewer';
import { FormError } from './FormError';
import { PasswordField } from './PasswordField';

const ACTIVATE = graphql(`
  mutation ActivateAccount($code: String!, $password: String!, $acceptTerms: Boolean!, $fullName: String) {
    activateAccount(code: $code, password: $password, acceptTerms: $acceptTerms, fullName: $fullName) {
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

export function ActivatePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { reset } = useSession();
  const email = params.get('email') ?? '';
  const [code, setCode] = useState(params.get('code') ?? '');
  const [fullName, setFullName] = useState('');
  const [password, setPassword] = useState('');
  const [acceptTerms, setAcceptTerms] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [serverUnmet, setServerUnmet] = useState<string[]>([]);
  const [, activate] = useMutation(ACTIVATE);
  const { run, busy } = useAction();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const outcome = await run(() => activate({ code, password, acceptTerms, fullName }), {
      success: 'LogInPayload',
      pick: (d) => d.activateAccount,
      notifyErrors: false,
    });
    setError(outcome.error);
    setServerUnmet(outcome.value?.__typename === 'WeakPassword' ? [...outcome.value.unmetRules] : []);
    if (outcome.ok) {
      await navigate('/', { replace: true });
      reset();
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)}>
      <Stack>
        <Title order={1} size="h2">
          {t('auth.activateTitle')}
        </Title>
        <Text size="sm">{t('auth.activateHelp')}</Text>
        <FormError message={error} />
        {email && <TextInput label={t('auth.email')} value={email} readOnly autoComplete="username" />}
        <TextInput label={t('auth.code')} required value={code} onChange={(e) => setCode(e.currentTarget.value)} />
        <TextInput label={t('auth.fullName')} autoComplete="name" required value={fullName} onChange={(e) => setFullName(e.currentTarget.value)} />
        <PasswordField label={t('auth.password')} value={password} onChange={setPassword} serverUnmet={serverUnmet} />
        <Checkbox label={t('auth.acceptTerms')} checked={acceptTerms} onChange={(e) => setAcceptTerms(e.currentTarget.checked)} />
        <Button type="submit" loading={busy}>
          {t('auth.activate')}
        </Button>
      </Stack>
    </form>
  );
}

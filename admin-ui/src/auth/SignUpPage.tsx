import { Anchor, Button, Checkbox, Group, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation } from 'urql';

import { graphql } from '../gql';
import type { OrganisationKind } from '../gql/graphql';
import { useAction } from '../lib/useAction';
import { AuthNotice } from './AuthNotice';
import { FormError } from './FormError';
import { PasswordField } from './PasswordField';

const SIGN_UP = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
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

const KINDS = ['LAW_FIRM', 'COMPANY', 'INDIVIDUAL'] as const satisfies readonly OrganisationKind[];

export function SignUpPage() {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<(typeof KINDS)[number]>('LAW_FIRM');
  const [fullName, setFullName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [organisationName, setOrganisationName] = useState('');
  const [siren, setSiren] = useState('');
  const [acceptTerms, setAcceptTerms] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [serverUnmet, setServerUnmet] = useState<string[]>([]);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [, signUp] = useMutation(SIGN_UP);
  const { run, busy } = useAction();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const individual = kind === 'INDIVIDUAL';
    const outcome = await run(
      () =>
        signUp({
          input: {
            kind,
            email,
            password,
            fullName,
            organisationName: individual ? null : organisationName,
            siren: individual || !siren ? null : siren,
            acceptTerms,
            locale: i18n.language,
          },
        }),
      { success: 'SignUpPayload', pick: (data) => data.signUp, notifyErrors: false },
    );
    setError(outcome.error);
    const weak = outcome.value?.__typename === 'WeakPassword' ? outcome.value.unmetRules : [];
    setServerUnmet([...weak]);
    if (outcome.ok) setSentTo(email);
  }

  if (sentTo) {
    return (
      <AuthNotice
        title={t('auth.signedUpTitle')}
        message={t('auth.signedUp', { email: sentTo })}
        to={`/login?email=${encodeURIComponent(sentTo)}`}
        action={t('auth.logInLink')}
      />
    );
  }

  return (
    <form onSubmit={(event) => void submit(event)}>
      <Stack>
        <Title order={1} size="h2">
          {t('auth.signUpTitle')}
        </Title>
        <FormError message={error} />
        <Radio.Group label={t('auth.kind')} value={kind} onChange={(v) => setKind(v as (typeof KINDS)[number])} required>
          <Group mt={4}>
            {KINDS.map((k) => (
              <Radio key={k} value={k} label={t(`auth.kinds.${k}`)} />
            ))}
          </Group>
        </Radio.Group>
        <TextInput label={t('auth.fullName')} autoComplete="name" required value={fullName} onChange={(e) => setFullName(e.currentTarget.value)} />
        {kind !== 'INDIVIDUAL' && (
          <>
            <TextInput label={t('auth.organisationName')} autoComplete="organization" required value={organisationName} onChange={(e) => setOrganisationName(e.currentTarget.value)} />
            <TextInput label={t('auth.siren')} inputMode="numeric" required value={siren} onChange={(e) => setSiren(e.currentTarget.value)} />
          </>
        )}
        <TextInput label={t('auth.email')} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
        <PasswordField label={t('auth.password')} value={password} onChange={setPassword} serverUnmet={serverUnmet} />
        <Checkbox label={t('auth.acceptTerms')} checked={acceptTerms} onChange={(e) => setAcceptTerms(e.currentTarget.checked)} />
        <Button type="submit" loading={busy}>
          {t('auth.signUp')}
        </Button>
        <Text size="sm">
          {t('auth.haveAccount')}{' '}
          <Anchor component={Link} to="/login">
            {t('auth.logInLink')}
          </Anchor>
        </Text>
      </Stack>
    </form>
  );
}

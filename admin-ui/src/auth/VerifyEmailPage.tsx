import { Alert, Button, Stack, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useMutation } from 'urql';

import { graphql } from '../gql';
import { useAction } from '../lib/useAction';
import { useSession } from '../lib/viewer';
import { FormError } from './FormError';

const VERIFY_EMAIL = graphql(`
  mutation VerifyEmail($token: String!) {
    verifyEmail(token: $token) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

export function VerifyEmailPage() {
  const { t } = useTranslation();
  const token = useSearchParams()[0].get('token') ?? '';
  const { viewer } = useSession();
  const [state, setState] = useState<'pending' | 'done' | 'failed'>('pending');
  const [error, setError] = useState<string | null>(token ? null : t('auth.missingToken'));
  const [, verify] = useMutation(VERIFY_EMAIL);
  const { run } = useAction();
  const started = useRef(false);

  useEffect(() => {
    // The token works once: run it once even when React mounts the page twice.
    if (!token || started.current) return;
    started.current = true;
    void run(() => verify({ token }), { success: 'OkPayload', pick: (d) => d.verifyEmail, notifyErrors: false }).then(
      (outcome) => {
        setState(outcome.ok ? 'done' : 'failed');
        setError(outcome.error);
      },
    );
  }, [token, run, verify]);

  return (
    <Stack>
      <Title order={1} size="h2">
        {t('auth.verifyTitle')}
      </Title>
      {token && state === 'pending' && <Alert role="status">{t('auth.verifying')}</Alert>}
      {state === 'done' && (
        <Alert color="green" role="status">
          {t('auth.verified')}
        </Alert>
      )}
      <FormError message={error} />
      {state !== 'pending' || !token ? (
        <Button component={Link} to={viewer ? '/' : '/login'}>
          {t('auth.continue')}
        </Button>
      ) : null}
    </Stack>
  );
}

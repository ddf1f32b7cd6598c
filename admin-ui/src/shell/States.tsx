// Empty and error states: a person always sees what happened and what to do next.
import { Alert, Button, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CombinedError } from 'urql';

export function QueryError({ error, retry }: { error: CombinedError; retry?: () => void }) {
  const { t } = useTranslation();
  const message = error.networkError ? t('errors.network') : (error.graphQLErrors[0]?.message ?? t('errors.unexpected'));
  return (
    <Alert color="red" role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{message}</Text>
        {retry && (
          <Button size="xs" variant="white" color="red.9" onClick={retry}>
            {t('app.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

export function EmptyState({ children, action }: { children: React.ReactNode; action?: React.ReactNode }) {
  return (
    <Stack align="flex-start" p="md" bg="gray.0" style={{ borderRadius: 8 }} data-testid="empty-state">
      <Text c="dark.6">{children}</Text>
      {action}
    </Stack>
  );
}

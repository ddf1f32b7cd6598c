import { Center, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function Loading() {
  const { t } = useTranslation();
  return (
    <Center p="xl" role="status" aria-live="polite">
      <Loader aria-hidden size="sm" />
      <span style={{ marginLeft: 8 }}>{t('app.loading')}</span>
    </Center>
  );
}

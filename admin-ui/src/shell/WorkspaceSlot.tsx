// Placeholder for the office and operator workspaces (issue 17): they replace this route.
import { Alert, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';

export function WorkspaceSlot() {
  const { t } = useTranslation();
  const office = useLocation().pathname.startsWith('/office');
  return (
    <>
      <Title order={1} mb="md">
        {t(office ? 'nav.office' : 'nav.operator')}
      </Title>
      <Alert color="gray">{t('shell.workspaceSoon')}</Alert>
    </>
  );
}

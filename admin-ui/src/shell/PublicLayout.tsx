// Pages for visitors (log in, sign up, links from emails): one centred card and the language switch.
import { Box, Container, Group, Paper, Text } from '@mantine/core';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';

import { LanguageSwitch } from './LanguageSwitch';
import { Loading } from './Loading';

export function PublicLayout() {
  const { t } = useTranslation();
  return (
    <Box bg="gray.0" mih="100vh" py="xl">
      <Container size={460}>
        <Group justify="space-between" mb="md" component="header">
          <Text fw={700} size="xl" c="indigo.9">
            {t('app.name')}
          </Text>
          <LanguageSwitch />
        </Group>
        <Paper withBorder shadow="sm" p="lg" component="main" id="main">
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </Paper>
      </Container>
    </Box>
  );
}

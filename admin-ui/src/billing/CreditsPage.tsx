import { Title } from '@mantine/core';

export function CreditsPage() {
  return <Title order={1}>CreditsPage</Title>;
}

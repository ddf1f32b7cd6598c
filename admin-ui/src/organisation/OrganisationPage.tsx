import { Title } from '@mantine/core';

export function OrganisationPage() {
  return <Title order={1}>OrganisationPage</Title>;
}

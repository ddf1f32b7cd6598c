import { Title } from '@mantine/core';

export function ArchivePage() {
  return <Title order={1}>ArchivePage</Title>;
}

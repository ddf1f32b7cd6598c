import { Alert, Button, Stack, Title } from '@mantine/core';
import { Link } from 'react-router';

/** What happened, and the one next step (after signing up, resetting a password…). */
export function AuthNotice({ title, message, to, action }: { title: string; message: string; to: string; action: string }) {
  return (
    <Stack>
      <Title order={1} size="h2">
        {title}
      </Title>
      <Alert color="green" role="status">
        {message}
      </Alert>
      <Button component={Link} to={to}>
        {action}
      </Button>
    </Stack>
  );
}

import { Alert } from '@mantine/core';

/** The API's message for a failed form, read out by screen readers as soon as it appears. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" role="alert" variant="light" data-testid="form-error">
      {message}
    </Alert>
  );
}

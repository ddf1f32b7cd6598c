// Mutation results are unions of a payload and typed errors; these helpers tell them apart.

export type Typed = { __typename?: string };

/** The member of a result union whose `__typename` is `name`, narrowed; else null. */
export function asType<T extends Typed, N extends string>(
  value: T | null | undefined,
  name: N,
): Extract<T, { __typename?: N }> | null {
  return value?.__typename === name ? (value as Extract<T, { __typename?: N }>) : null;
}

/** The person-readable message of a typed error (every error type carries one). */
export function messageOf(value: Typed | null | undefined): string | null {
  if (value && 'message' in value && typeof (value as { message: unknown }).message === 'string') {
    return (value as { message: string }).message;
  }
  return null;
}

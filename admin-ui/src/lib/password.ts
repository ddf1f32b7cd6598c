// The password policy of the API (tenants/passwords.py), checked live while typing.
// The server stays the judge: its WeakPassword error lists the rules it found unmet.
export const PASSWORD_RULES = ['MIN_LENGTH', 'UPPERCASE', 'LOWERCASE', 'DIGIT', 'SPECIAL'] as const;
export type LocalRule = (typeof PASSWORD_RULES)[number];
export const MIN_LENGTH = 10;

export function unmetRules(password: string): LocalRule[] {
  const unmet: LocalRule[] = [];
  if ([...password].length < MIN_LENGTH) unmet.push('MIN_LENGTH');
  if (!/\p{Lu}/u.test(password)) unmet.push('UPPERCASE');
  if (!/\p{Ll}/u.test(password)) unmet.push('LOWERCASE');
  if (!/\p{Nd}/u.test(password)) unmet.push('DIGIT');
  if (!/[^\p{L}\p{N}]/u.test(password)) unmet.push('SPECIAL');
  return unmet;
}

// A password input with the policy shown live, rule by rule (and the server's verdict if it adds one).
import { PasswordInput, Text } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

import { PASSWORD_RULES, unmetRules } from '../lib/password';

export interface PasswordFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  serverUnmet?: readonly string[];
}

export function PasswordField({ label, value, onChange, serverUnmet = [] }: PasswordFieldProps) {
  const { t } = useTranslation();
  const policyId = useId();
  const unmet = new Set<string>([...unmetRules(value), ...serverUnmet]);
  const rules = [...PASSWORD_RULES, ...serverUnmet.filter((r) => !(PASSWORD_RULES as readonly string[]).includes(r))];
  return (
    <div>
      <PasswordInput
        label={label}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        required
        autoComplete="new-password"
        aria-describedby={policyId}
      />
      <div id={policyId} aria-live="polite">
        <Text size="sm" mt={6}>
          {t('auth.policyTitle')}
        </Text>
        <ul className="password-policy" data-testid="password-policy">
          {rules.map((rule) => {
            const ok = !unmet.has(rule);
            return (
              <li key={rule} className={ok ? 'rule-met' : 'rule-unmet'} data-rule={rule} data-met={ok}>
                <span aria-hidden>{ok ? '✓' : '✗'}</span> {t(`auth.rules.${rule}`)}
                <span className="visually-hidden"> ({t(ok ? 'auth.ruleMet' : 'auth.ruleUnmet')})</span>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}

/** Whether the live rules all pass (the server may still find it too common). */
export function passwordAcceptable(value: string): boolean {
  return unmetRules(value).length === 0;
}

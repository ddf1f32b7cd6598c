import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';

import { LANGUAGES, rememberLanguage, type Language } from '../i18n';

/** FR / EN, remembered in this browser; every text and date follows at once. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('header.language')}
      value={i18n.language}
      onChange={(value) => {
        rememberLanguage(value as Language);
        void i18n.changeLanguage(value);
      }}
      data={LANGUAGES.map((language) => ({ value: language, label: language.toUpperCase() }))}
    />
  );
}

import { afterEach, describe, expect, it } from 'vitest';

import i18n from '../i18n';

describe('a value a newer version added to a vocabulary', () => {
  afterEach(() => void i18n.changeLanguage('en'));

  it('shows as "unknown (value)" in English and "inconnu (value)" in French', async () => {
    await i18n.changeLanguage('en');
    expect(i18n.t('enums.applicationStatus.shortlisted')).toBe('unknown (shortlisted)');
    expect(i18n.t('enums.zone.antarctica')).toBe('unknown (antarctica)');
    await i18n.changeLanguage('fr');
    expect(i18n.t('enums.applicationStatus.shortlisted')).toBe('inconnu (shortlisted)');
  });

  it('leaves known values and other keys as they were', async () => {
    await i18n.changeLanguage('en');
    expect(i18n.t('enums.zone.china')).toBe('China');
    expect(i18n.t('no.such.key')).toBe('no.such.key');
    expect(i18n.t('no.such.key', { defaultValue: 'fallback' })).toBe('fallback');
  });
});

import { h } from '../dom.js';
import { t } from '../i18n.js';

export function recoveryKeyPanel(key) {
  return h('div', { class: 'recovery' },
    h('p', {}, t('recovery.explain')),
    h('p', { class: 'recovery-key', id: 'recovery-key' }, key),
    h('p', { class: 'muted' }, t('recovery.keep')),
  );
}

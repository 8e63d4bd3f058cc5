// Settings: where the data lives and the recovery key (shown after confirming).

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { confirmDialog } from '../dialog.js';
import { recoveryKeyPanel } from './recovery-key.js';

export function mount(root) {
  const slot = h('div');
  const path = h('code', { id: 'db-path' });
  api.status().then((s) => { path.textContent = s.db_path; });
  const show = h('button', { id: 'show-recovery' }, t('settings.show_key'));
  show.addEventListener('click', async () => {
    if (!(await confirmDialog(t('settings.show_key_confirm'), t('settings.show_key')))) return;
    const key = await api.recoveryKey();
    slot.replaceChildren(recoveryKeyPanel(key));
  });
  root.append(
    h('section', { class: 'card narrow' },
      h('h1', {}, t('nav.settings')),
      h('h2', {}, t('settings.storage')),
      h('p', {}, t('settings.storage_explain')),
      h('p', {}, path),
      h('h2', {}, t('settings.recovery')),
      h('p', {}, t('settings.recovery_explain')),
      show,
      slot,
    ),
  );
}

// The database exists but its key is not in this computer's keychain (or does not fit):
// ask for the recovery key.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { enterApp } from '../shell.js';
import { errorText } from '../errors.js';

export function mount(root, { status }) {
  const input = h('input', { id: 'recovery-input', autocomplete: 'off', spellcheck: 'false', size: 60 });
  const error = h('p', { class: 'error', hidden: true });
  const button = h('button', { class: 'primary', type: 'submit' }, t('unlock.open'));
  const form = h('form', { class: 'card narrow' },
    h('h1', {}, t('unlock.title')),
    h('p', {}, t('unlock.explain')),
    h('p', { class: 'muted' }, h('code', {}, status.db_path)),
    h('label', { class: 'field' }, h('span', {}, t('unlock.key')), input),
    error,
    h('div', { class: 'actions' }, button),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    button.disabled = true;
    try {
      await api.unlock(input.value);
      await enterApp();
    } catch (e) {
      // Only a key that does not open the database is "wrong"; a keychain that refuses
      // to store it, or a damaged file, says what it is.
      if (e.code === 'validation') error.textContent = t('unlock.bad_format');
      else if (e.code === 'locked') error.textContent = t('unlock.wrong');
      else if (e.code === 'keychain') error.textContent = t('unlock.keychain', { message: e.message });
      else error.textContent = errorText(e);
      error.hidden = false;
      button.disabled = false;
    }
  });
  root.append(form);
}

// First run: create the encrypted database (empty, or with the demo company) and show
// the recovery key once.

import { api } from '../api.js';
import { h } from '../dom.js';
import { language, t } from '../i18n.js';
import { enterApp } from '../shell.js';
import { recoveryKeyPanel } from './recovery-key.js';
import { errorText } from '../errors.js';

export function mount(root, { status }) {
  const error = h('p', { class: 'error', id: 'first-run-error', hidden: true });
  const create = async (demo, button) => {
    for (const b of root.querySelectorAll('button')) b.disabled = true;
    button.textContent = t('first.creating');
    try {
      const { recovery_key: key } = await api.createDatabase(demo, language());
      root.replaceChildren(
        h('section', { class: 'card narrow' },
          h('h1', {}, t('first.created')),
          recoveryKeyPanel(key),
          h('button', { class: 'primary', id: 'recovery-done', onclick: () => enterApp() }, t('first.continue')),
        ),
      );
    } catch (e) {
      error.textContent = errorText(e);
      error.hidden = false;
      for (const b of root.querySelectorAll('button')) b.disabled = false;
    }
  };
  const empty = h('button', { class: 'primary', id: 'create-empty' }, t('first.create'));
  empty.addEventListener('click', () => create(false, empty));
  const demo = h('button', { id: 'create-demo' }, t('first.demo'));
  demo.addEventListener('click', () => create(true, demo));
  root.append(
    h('section', { class: 'card narrow', id: 'first-run' },
      h('h1', {}, t('first.title')),
      h('p', {}, t('first.intro')),
      h('p', { class: 'muted' }, t('first.where'), ' ', h('code', {}, status.db_path)),
      h('div', { class: 'actions' }, empty, demo),
      h('p', { class: 'muted' }, t('first.demo_hint')),
      error,
    ),
  );
}

// A CSV import button: the window reads the chosen file, Rust checks every row and
// writes all or nothing, reporting progress as it goes.

import { api, onEvent } from './api.js';
import { h } from './dom.js';
import { number, t } from './i18n.js';
import { toast } from './app.js';

export function importButton(kind, onDone) {
  const input = h('input', { type: 'file', accept: '.csv,text/csv', hidden: true, id: `import-${kind}-file` });
  const button = h('button', { id: `import-${kind}` }, t(`import.${kind}`));
  const status = h('div', { class: 'import-status', id: `import-${kind}-status` });
  button.addEventListener('click', () => input.click());
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const bar = h('progress', { max: 1, value: 0 });
    status.replaceChildren(h('span', { class: 'muted' }, `${file.name} `), bar);
    // Each import has its own bar: events carry the kind of file they are about.
    const unlisten = await onEvent('import-progress', (p) => {
      if (p.kind !== kind) return;
      bar.max = p.total;
      bar.value = p.done;
    });
    button.disabled = true;
    try {
      const s = await api.importFile(kind, file.name, await file.text());
      status.replaceChildren(h('span', {}, t('import.done', { file: file.name, rows: number(s.rows), created: number(s.created), updated: number(s.updated), unchanged: number(s.unchanged) })));
      onDone?.();
    } catch (e) {
      // Every problem names its line and field; nothing was written.
      const lines = e.message.split('\n');
      status.replaceChildren(h('div', { class: 'error' }, h('strong', {}, lines[0]), h('ul', {}, lines.slice(1).map((l) => h('li', {}, l.trim())))));
      toast(t('import.failed'), 'error');
    } finally {
      button.disabled = false;
      unlisten();
    }
  });
  return h('span', { class: 'import' }, button, input, status);
}

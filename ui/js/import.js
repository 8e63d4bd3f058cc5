// A CSV import button: the operating system's open dialog chooses the file (or several, or
// a ZIP archive of several: a year of monthly exports), Rust reads them from their paths
// (nothing of them crosses IPC), checks every row and writes all or nothing, reporting
// progress in bytes read, then rows written.

import { api, onEvent } from './api.js';
import { h } from './dom.js';
import { number, t } from './i18n.js';
import { toast } from './shell.js';
import { problemList } from './errors.js';

/**
 * @param {'customers' | 'invoices' | 'payments' | 'ms_invoices'} kind
 * @param {() => void} [onDone]
 */
export function importButton(kind, onDone) {
  const button = h('button', { id: `import-${kind}` }, t(`import.${kind}`));
  const status = h('div', { class: 'import-status', id: `import-${kind}-status` });
  // Customers: an existing book may be brought in as it is, each exception to the
  // onboarding rules recorded with the reason given here (Rust checks it).
  const existing = h('input', { type: 'checkbox', id: `import-${kind}-existing` });
  const reason = h('input', { id: `import-${kind}-reason`, maxlength: '500', placeholder: t('import.existing_reason'), hidden: true });
  existing.addEventListener('change', () => { reason.hidden = !existing.checked; });
  const bookOption = kind === 'customers'
    ? h('label', { class: 'small import-existing' }, existing, ' ', t('import.existing_book'), ' ', reason)
    : '';
  button.addEventListener('click', async () => {
    const bar = h('progress', { max: 1, value: 0 });
    // Each import has its own bar: events carry the kind of file they are about.
    const unlisten = await onEvent('import-progress', (p) => {
      if (p.kind !== kind) return;
      if (!status.contains(bar)) status.replaceChildren(bar);
      bar.max = p.total || 1;
      bar.value = p.done;
    });
    button.disabled = true;
    try {
      const s = await api.importWithDialog(kind, t(`import.${kind}`), kind === 'customers' && existing.checked ? reason.value : null);
      if (s) {
        // Files chosen together are named by the first and how many more.
        const file = s.files.length > 1 ? t('import.parts', { file: s.files[0], n: number(s.files.length - 1) }) : s.files[0];
        status.replaceChildren(h('span', {}, t('import.done', { file, rows: number(s.rows), created: number(s.created), updated: number(s.updated), unchanged: number(s.unchanged) }),
          s.exceptions ? ` ${t('import.exceptions', { n: number(s.exceptions) })}` : '',
          s.corrections ? ` ${t('import.corrections', { n: number(s.corrections) })}` : ''));
        onDone?.();
      } else {
        status.replaceChildren();
      }
    } catch (e) {
      // Every problem names its file, line and field; nothing was written. They arrive as
      // codes, one by one, so the list is in the window's language.
      status.replaceChildren(problemList(e, `import-${kind}-problems`));
      toast(t('import.failed'), 'error');
    } finally {
      button.disabled = false;
      unlisten();
    }
  });
  return h('span', { class: 'import' }, button, bookOption, status);
}

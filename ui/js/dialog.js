// A modal built from DOM nodes: confirmation, or a small form whose values it returns.

import { h } from './dom.js';
import { t } from './i18n.js';

/**
 * Shows `body` (nodes) with OK/Cancel; resolves to the form's values, or null.
 * @param {string} title
 * @param {Node} body
 * @param {string} [okText]
 * @param {(values: Record<string, string>) => string | null} [validate]
 *   a problem to show instead of closing, or null
 * @returns {Promise<Record<string, string> | null>}
 */
export function formDialog(title, body, okText, validate = () => null) {
  return new Promise((resolve) => {
    const error = h('p', { class: 'error', hidden: true });
    const ok = h('button', { class: 'primary', type: 'submit', id: 'dialog-ok' }, okText ?? t('common.ok'));
    const cancel = h('button', { type: 'button', id: 'dialog-cancel' }, t('common.cancel'));
    const form = h('form', { class: 'dialog' },
      h('h2', {}, title), body, error, h('div', { class: 'actions' }, ok, cancel));
    // The native modal: focus stays inside it, the page behind is inert, Escape cancels.
    const modal = /** @type {HTMLDialogElement} */ (h('dialog', { class: 'modal' }, form));
    let done = false;
    const close = (value) => {
      if (done) return;
      done = true;
      modal.close();
      modal.remove();
      resolve(value);
    };
    modal.addEventListener('cancel', (e) => { e.preventDefault(); close(null); });
    cancel.addEventListener('click', () => close(null));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      // The dialogs hold text fields only: every value is a string.
      const data = new FormData(/** @type {HTMLFormElement} */ (form));
      const values = Object.fromEntries([...data.entries()].map(([k, v]) => [k, String(v)]));
      const problem = validate(values);
      if (problem) {
        error.textContent = problem;
        error.hidden = false;
        return;
      }
      close(values);
    });
    document.body.append(modal);
    modal.showModal();
    /** @type {HTMLElement} */ (form.querySelector('input, select, textarea') ?? ok).focus();
  });
}

export async function confirmDialog(text, okText) {
  return (await formDialog(text, h('div'), okText)) !== null;
}

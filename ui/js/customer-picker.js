// Choosing a customer where a book may hold thousands: a search box over a list of the
// customers it finds (in the store, by name, contact or domain, either script), the chosen one
// always kept in the list. Used by the bank line dialog, the usage import, notices and the
// tenants of usage files.

import { api } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { newestRead } from './shell.js';

/** How many customers one search offers. */
const FOUND = 200;

/**
 * @typedef {{ id: number, legal_name: string, credit_limit: { currency: string } }} CustomerRow
 * @param {{ name?: string, id?: string, empty: string, chosen?: number | null, label?: (c: CustomerRow) => string, onChange?: () => void }} o
 *   `name` and `id` of the list, the text of its empty choice, the customer chosen first, how a
 *   customer is written, and what a change of choice does.
 */
export function customerPicker(o) {
  /** @type {Map<string, CustomerRow>} every customer offered so far, by id */
  const known = new Map();
  const select = /** @type {HTMLSelectElement} */ (h('select', { name: o.name ?? null, id: o.id ?? null }));
  const search = /** @type {HTMLInputElement} */ (h('input', {
    type: 'search', maxlength: '200', placeholder: t('customers.search'), id: o.id ? `${o.id}-search` : null,
  }));
  const label = o.label ?? ((c) => c.legal_name);
  const find = async (/** @type {string} */ text) => /** @type {CustomerRow[]} */ ((await api.listCustomers({
    search: text, status: null, sort: 'name', descending: false, offset: 0, limit: FOUND,
  })).rows);
  const offer = (/** @type {CustomerRow[]} */ rows, /** @type {string} */ chosen) => {
    for (const c of rows) known.set(String(c.id), c);
    const kept = rows.some((c) => String(c.id) === chosen) || !known.has(chosen) ? rows : [/** @type {CustomerRow} */ (known.get(chosen)), ...rows];
    select.replaceChildren(h('option', { value: '' }, o.empty),
      ...kept.map((c) => h('option', { value: String(c.id), selected: String(c.id) === chosen }, label(c))));
    select.value = kept.some((c) => String(c.id) === chosen) ? chosen : '';
  };
  // Enter searches; it does not submit a dialog around the picker.
  search.addEventListener('keydown', (e) => { if (e.key === 'Enter') e.preventDefault(); });
  // The first fill and each search typed: only the newest offers its customers.
  const read = newestRead();
  search.addEventListener('input', async () => {
    const newest = read();
    const chosen = select.value;
    const rows = await find(search.value.trim());
    if (newest()) offer(rows, chosen);
  });
  if (o.onChange) select.addEventListener('change', o.onChange);
  return {
    select,
    element: h('span', { class: 'customer-picker' }, search, select),
    /** The chosen customer's row, if any. */
    chosen: () => known.get(select.value) ?? null,
    /** Fills the list: the first customers by name, and the one chosen first. */
    async load(/** @type {number | null | undefined} */ chosen = o.chosen, /** @type {string} */ chosenName = '') {
      const newest = read();
      let rows = await find('');
      if (chosen && !rows.some((c) => c.id === chosen)) {
        rows = [...(await find(chosenName)).filter((c) => c.id === chosen), ...rows];
      }
      if (newest()) offer(rows, chosen ? String(chosen) : '');
    },
  };
}

// Settings > Exchange rates and detector thresholds: the reference currency and the
// usage detectors' thresholds (checked in Rust, all or none), and the dated rates the
// owner keeps for currency pairs the usage files' own rates do not connect.

import { api } from '../api.js';
import { h } from '../dom.js';
import { date, t } from '../i18n.js';
import { reference, toast } from '../shell.js';
import { errorText } from '../errors.js';

/** The card; loads its figures itself. */
export function ratesCard() {
  const thresholds = h('div', { class: 'form-grid', id: 'usage-thresholds' });
  /** @type {Record<string, HTMLInputElement>} */
  const controls = {};
  /** @type {Record<string, string>} */
  let saved = {};
  const body = h('tbody', { id: 'rates-body' });
  const table = h('table', { class: 'grid' },
    h('thead', {}, h('tr', {},
      ...['on', 'from', 'to', 'rate', 'note'].map((k) => h('th', {}, t(`settings.rates.${k}`))), h('th', {}))),
    body);
  const empty = h('p', { class: 'muted', id: 'rates-empty' }, t('settings.rates.none'));

  const form = {
    rate_on: h('input', { id: 'rate-on', type: 'date', value: reference.today }),
    from_currency: h('input', { id: 'rate-from', maxlength: '3', size: '4', spellcheck: 'false', placeholder: 'USD' }),
    to_currency: h('input', { id: 'rate-to', maxlength: '3', size: '4', spellcheck: 'false', placeholder: 'TWD' }),
    rate: h('input', { id: 'rate-value', inputmode: 'decimal', spellcheck: 'false', placeholder: '32.45' }),
    note: h('input', { id: 'rate-note', maxlength: '500' }),
  };
  const add = h('button', { id: 'add-rate', class: 'primary' }, t('settings.rates.add'));
  const saveThresholds = h('button', { id: 'save-thresholds' }, t('settings.rates.save_thresholds'));
  const error = h('p', { class: 'error', id: 'rates-error' });

  async function load() {
    const view = await api.exchangeRates();
    saved = Object.fromEntries(view.settings);
    thresholds.replaceChildren();
    for (const [k, v] of view.settings) {
      controls[k] = h('input', { id: `s-${k.replaceAll('.', '-')}`, spellcheck: 'false', value: v });
      thresholds.append(h('label', { class: 'field' }, h('span', {}, t(`settings.${k}`)), controls[k]));
    }
    body.replaceChildren(...view.rates.map((r) => {
      const remove = h('button', { class: 'small', 'data-rate': String(r.id) }, t('settings.rates.remove'));
      remove.addEventListener('click', async () => {
        try {
          await api.removeExchangeRate(r.id);
          await load();
        } catch (e) {
          toast(errorText(e), 'error');
        }
      });
      return h('tr', {}, h('td', { class: 'day' }, date(r.rate_on)), h('td', {}, r.from_currency), h('td', {}, r.to_currency),
        h('td', { class: 'num' }, r.rate), h('td', {}, r.note), h('td', {}, remove));
    }));
    empty.hidden = view.rates.length > 0;
    table.hidden = view.rates.length === 0;
  }

  add.addEventListener('click', async () => {
    error.textContent = '';
    const input = Object.fromEntries(Object.entries(form).map(([k, c]) => [k, c.value.trim()]));
    try {
      await api.setExchangeRate(input);
      toast(t('customer.saved'));
      form.rate.value = '';
      form.note.value = '';
      await load();
    } catch (e) {
      error.textContent = errorText(e);
    }
  });
  saveThresholds.addEventListener('click', async () => {
    error.textContent = '';
    const changes = Object.entries(controls).map(([k, c]) => [k, c.value.trim()]).filter(([k, v]) => saved[k] !== v);
    if (!changes.length) return;
    try {
      await api.saveUsageSettings(changes);
      toast(t('customer.saved'));
      await load();
    } catch (e) {
      error.textContent = errorText(e);
    }
  });
  load().catch((e) => toast(errorText(e), 'error'));

  return h('section', { class: 'card', id: 'rates-settings' },
    h('h2', {}, t('settings.rates.title')),
    h('p', { class: 'muted' }, t('settings.rates.explain')),
    h('h3', {}, t('settings.rates.thresholds')), thresholds,
    h('div', { class: 'actions' }, saveThresholds),
    h('h3', {}, t('settings.rates.table')), empty, table,
    h('div', { class: 'form-grid' },
      ...['on', 'from', 'to', 'rate', 'note'].map((k) => h('label', { class: 'field' }, h('span', {}, t(`settings.rates.${k}`)),
        form[{ on: 'rate_on', from: 'from_currency', to: 'to_currency', rate: 'rate', note: 'note' }[k]]))),
    error,
    h('div', { class: 'actions' }, add));
}

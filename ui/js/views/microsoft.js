// The credit line with Microsoft: what is left of it, the line's settings (limit, payment
// terms, alert thresholds), Microsoft's invoices to the partner (typed, imported, marked
// paid) and each customer's cash gap against Microsoft's due dates.

import { api } from '../api.js';
import { h } from '../dom.js';
import { date, listText, money, plainAmount, t } from '../i18n.js';
import { newestRead, perform, reference, toast } from '../shell.js';
import { formDialog } from '../dialog.js';
import { errorText } from '../errors.js';
import { importButton } from '../import.js';
import { headroomCard } from './headroom-card.js';

/** A labelled input for a dialog or a form. */
function input(label, name, value = '', attrs = {}) {
  return h('label', { class: 'field' }, h('span', {}, label), h('input', { name, id: `d-${name}`, value, ...attrs }));
}

export function mount(root) {
  let alive = true;
  const read = newestRead();
  const page = h('section', { class: 'page' });
  root.append(page);

  /** @param {Promise<unknown>} work @param {string} message */
  const act = (work, message) => perform(work, message, load);

  function lineForm(line) {
    const limit = /** @type {HTMLInputElement} */ (h('input', { id: 'line-limit', value: line.limit ? plainAmount(line.limit) : '' }));
    const currency = /** @type {HTMLInputElement} */ (h('input', { id: 'line-currency', value: line.limit?.currency ?? 'TWD', maxlength: '3', size: 4 }));
    const terms = /** @type {HTMLInputElement} */ (h('input', { id: 'line-terms', value: String(line.terms_days), size: 4 }));
    const thresholds = /** @type {HTMLInputElement} */ (h('input', { id: 'line-thresholds', value: line.thresholds.join(','), size: 10 }));
    const save = h('button', { class: 'primary', id: 'save-line' }, t('common.save'));
    save.addEventListener('click', () => act(api.setCreditLine({
      limit: limit.value, currency: currency.value, terms_days: terms.value, thresholds: thresholds.value,
    }), t('customer.saved')));
    return h('div', { class: 'card', id: 'credit-line' }, h('h2', {}, t('headroom.line_title')),
      h('p', { class: 'muted' }, t('headroom.line_explain')),
      h('div', { class: 'form-grid' },
        h('label', { class: 'field' }, h('span', {}, t('field.limit')), limit),
        h('label', { class: 'field' }, h('span', {}, t('field.currency')), currency),
        h('label', { class: 'field' }, h('span', {}, t('field.terms_days')), terms),
        h('label', { class: 'field' }, h('span', {}, t('field.thresholds')), thresholds)),
      h('div', { class: 'actions' }, save));
  }

  function invoicesCard(invoices, line) {
    const add = h('button', { id: 'ms-invoice-add' }, t('headroom.add_invoice'));
    add.addEventListener('click', async () => {
      const v = await formDialog(t('headroom.add_invoice'), h('div', { class: 'form-grid' },
        input(t('field.number'), 'number'),
        input(t('field.invoice_date'), 'invoice_date', reference.today, { type: 'date' }),
        input(t('field.amount'), 'amount'),
        input(t('field.currency'), 'currency', line.limit?.currency ?? 'TWD'),
        input(t('field.due_on'), 'due_on', '', { type: 'date' }),
        input(t('field.paid_on'), 'paid_on', '', { type: 'date' })), t('common.save'));
      if (v) act(api.addMsInvoice(v), t('customer.saved'));
    });
    const rows = invoices.map((i) => {
      // A credit note (a negative amount) is applied, not paid, and never overdue; an
      // invoice of zero asks for nothing.
      const credit = i.amount.minor < 0;
      const nothing = i.amount.minor === 0;
      const [mark, unmark, dayLabel] = credit
        ? [t('headroom.mark_applied'), t('headroom.mark_not_applied'), t('headroom.applied_on')]
        : [t('headroom.mark_paid'), t('headroom.mark_unpaid'), t('field.paid_on')];
      const paid = nothing ? null : h('button', { class: 'small', dataset: { paid: i.number } }, i.paid_on ? unmark : mark);
      paid?.addEventListener('click', async () => {
        if (i.paid_on) return act(api.setMsInvoicePaid(i.number, ''), t('customer.saved'));
        const v = await formDialog(mark, h('div', {}, input(dayLabel, 'paid_on', reference.today, { type: 'date' })), mark);
        if (v) act(api.setMsInvoicePaid(i.number, v.paid_on), t('customer.saved'));
      });
      const overdue = !credit && !nothing && !i.paid_on && i.due_on < reference.today;
      const status = nothing ? t('headroom.nothing_due')
        : credit ? (i.paid_on ? t('headroom.credit_applied', { on: date(i.paid_on) }) : t('headroom.credit_open'))
          : i.paid_on ? t('headroom.paid_on', { on: date(i.paid_on) }) : t('headroom.unpaid');
      return h('tr', { dataset: { number: i.number, kind: credit ? 'credit' : 'invoice' } },
        h('td', {}, i.number), h('td', { class: 'day' }, date(i.invoice_date)), h('td', { class: 'num' }, money(i.amount)),
        h('td', { class: overdue ? 'warn' : '' }, credit || nothing ? '—' : date(i.due_on)),
        h('td', {}, status), h('td', {}, paid));
    });
    return h('div', { class: 'card', id: 'ms-invoices' }, h('h2', {}, t('headroom.invoices_title')),
      h('p', { class: 'muted' }, t('headroom.invoices_explain')),
      h('div', { class: 'toolbar' }, add, importButton('ms_invoices', () => load())),
      h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, [t('field.number'), t('field.invoice_date'), t('field.amount'), t('field.due_on'), t('headroom.status'), ''].map((x) => h('th', {}, x)))),
        h('tbody', { id: 'ms-invoice-rows' }, rows.length ? rows : h('tr', {}, h('td', { class: 'empty', colspan: 6 }, t('headroom.no_invoices'))))));
  }

  function gapCard(hr) {
    const rows = hr.customers.map((c) => h('tr', { dataset: { customer: c.customer_id, paidOut: c.paid_out.minor > 0 ? 'yes' : 'no' } },
      h('td', {}, h('a', { href: `#/customers/${c.customer_id}` }, c.legal_name)),
      h('td', { class: `num ${c.paid_out.minor > 0 ? 'warn' : ''}` }, money(c.paid_out), c.paid_out_since ? h('div', { class: 'small muted' }, t('headroom.since', { since: date(c.paid_out_since) })) : null),
      h('td', { class: 'num' }, money(c.upcoming), c.upcoming_due ? h('div', { class: 'small muted' }, t('headroom.by', { by: date(c.upcoming_due) })) : null),
      h('td', { class: 'num' }, money(c.unbilled), h('div', { class: 'small muted' }, t('headroom.by', { by: date(c.unbilled_due) }))),
      h('td', {}, c.customer_due ? date(c.customer_due) : '—'),
      h('td', {}, c.last_paid ? date(c.last_paid) : '—'),
      h('td', { class: 'small warn' }, listText(c.unconverted.map(money)))));
    return h('div', { class: 'card', id: 'cash-gap' }, h('h2', {}, t('headroom.gap_title')),
      h('p', { class: 'muted' }, t('headroom.gap_explain', { days: hr.line.terms_days })),
      h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, [t('customers.name'), t('headroom.paid_out'), t('headroom.upcoming'), t('headroom.unbilled'), t('headroom.customer_due'), t('headroom.last_paid'), t('headroom.no_rate')].map((x) => h('th', {}, x)))),
        h('tbody', { id: 'gap-rows' }, rows.length ? rows : h('tr', {}, h('td', { class: 'empty', colspan: 7 }, t('headroom.no_gap'))))));
  }

  async function load() {
    let hr;
    let invoices;
    const newest = read();
    try {
      [hr, invoices] = await Promise.all([api.headroom(), api.msInvoices()]);
    } catch (e) {
      if (newest()) toast(errorText(e), 'error');
      return;
    }
    if (!alive || !newest()) return;
    page.replaceChildren(h('div', { class: 'page-head' }, h('h1', {}, t('nav.microsoft'))),
      headroomCard(hr, { id: 'headroom', customers: 10, link: false }),
      lineForm(hr.line), invoicesCard(invoices, hr.line), gapCard(hr));
  }

  load();
  return () => { alive = false; };
}

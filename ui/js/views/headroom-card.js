// The credit line with Microsoft at a glance (the dashboard's card and the top of the
// Microsoft page): what is left, what uses it, and the customers whose unpaid money
// Microsoft has already been paid for.

import { h } from '../dom.js';
import { date, listText, money, number, t } from '../i18n.js';

/** The share used, as "62.38 %" in the window's language. @param {number} bp */
function percent(bp) {
  return `${number(bp / 100)} %`;
}

/**
 * @param {any} hr the headroom from Rust
 * @param {{ id: string, customers: number, link: boolean }} o
 */
export function headroomCard(hr, o) {
  const limit = hr.line.limit;
  const bp = hr.used_basis_points;
  const state = bp == null ? '' : bp >= 10000 ? 'risk-critical' : bp >= (hr.line.thresholds[0] ?? 80) * 100 ? 'risk-high' : 'risk-low';
  const bar = h('div', { class: `level-bar ${state}` });
  // Credit notes can take the use below nothing: an empty bar then, not an invalid width.
  bar.style.width = `${Math.max(0, Math.min(100, Math.round((bp ?? 0) / 100)))}%`;
  const figure = limit
    ? h('p', { class: 'headroom-figure', id: `${o.id}-figure` },
      h('strong', {}, money(hr.headroom)), ' ', t('headroom.left_of', { limit: money(limit), used: percent(bp) }))
    : h('p', { class: 'warn', id: `${o.id}-figure` }, t('headroom.no_limit', { used: money(hr.used) }));
  const parts = h('table', { class: 'grid compact', id: `${o.id}-parts` }, h('tbody', {},
    h('tr', {}, h('td', {}, t('headroom.unpaid_invoices', { n: number(hr.unpaid.length) })), h('td', { class: 'num' }, money(hr.unpaid_invoices))),
    hr.credits.length
      ? h('tr', { id: `${o.id}-credits` }, h('td', {}, t('headroom.open_credits', { n: number(hr.credits.length) })), h('td', { class: 'num' }, money(hr.open_credits)))
      : null,
    h('tr', {}, h('td', {}, t('headroom.unbilled_usage', { since: date(hr.unbilled_since) })), h('td', { class: 'num' }, money(hr.unbilled_usage))),
    h('tr', {}, h('td', {}, t('headroom.seats')), h('td', { class: 'num' }, money(hr.seats_this_month))),
    h('tr', {}, h('th', {}, t('headroom.used')), h('th', { class: 'num' }, money(hr.used)))));
  const unconverted = hr.unconverted.length
    ? h('p', { class: 'warn small' }, t('headroom.unconverted', { amounts: listText(hr.unconverted.map(money)) }))
    : null;
  const paidOut = hr.customers.filter((c) => c.paid_out.minor > 0);
  const list = paidOut.length
    ? h('div', {}, h('h3', {}, t('headroom.paid_out_title')),
      h('ul', { class: 'todo', id: `${o.id}-paid-out` }, paidOut.slice(0, o.customers).map((c) => h('li', { dataset: { customer: c.customer_id } },
        h('a', { href: `#/customers/${c.customer_id}` }, c.legal_name), ' ',
        h('strong', {}, money(c.paid_out)), ' ',
        h('span', { class: 'muted small' }, t('headroom.paid_out_since', { since: date(c.paid_out_since) }))))))
    : h('p', { class: 'muted' }, t('headroom.none_paid_out'));
  return h('div', { class: 'card', id: o.id },
    h('h2', {}, t('headroom.title')),
    figure,
    limit ? h('div', { class: 'level-track headroom-track' }, bar) : null,
    parts, unconverted, list,
    o.link ? h('p', {}, h('a', { href: '#/microsoft', id: `${o.id}-more` }, t('headroom.more'))) : null);
}

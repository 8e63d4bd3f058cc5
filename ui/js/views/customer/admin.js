// The customer page's admin relationships card (GDAP).

import { api } from '../../api.js';
import { h } from '../../dom.js';
import { date, t } from '../../i18n.js';
import { reference } from '../../shell.js';
import { formDialog } from '../../dialog.js';
import { field } from './fields.js';

/**
 * Admin relationships (GDAP): roles, dates, Global Administrator flagged; add and end.
 * @param {{ id: number, act: (work: Promise<unknown>, message: string) => Promise<void> }} ctx
 */
export function adminCard(ctx, list) {
  const { id, act } = ctx;
  const soon = new Date(`${reference.today}T00:00:00Z`);
  soon.setUTCDate(soon.getUTCDate() + 30);
  const soonText = soon.toISOString().slice(0, 10);
  const rows = h('tbody', { id: 'admin-rows' });
  for (const g of list) {
    const expired = !g.ended_on && g.expires_on <= reference.today;
    const state = g.ended_on ? `${t('gdap.ended')} ${date(g.ended_on)}` : expired ? t('gdap.expired') : t('gdap.in_force');
    const end = h('button', { class: 'small', dataset: { action: 'end' } }, t('gdap.end'));
    end.addEventListener('click', async () => {
      const v = await formDialog(t('gdap.end_title', { name: g.name }), h('div', {}, field(t('sub.on'), 'on', reference.today, { type: 'date' })), t('gdap.end'));
      if (v) act(api.endAdminRelationship(g.id, v.on), t('customer.saved'));
    });
    rows.append(h('tr', { dataset: { id: g.id } },
      h('td', {}, g.name, g.global_admin ? h('div', {}, h('span', { class: 'badge level-4' }, t('gdap.global_admin'))) : null),
      h('td', {}, g.roles),
      h('td', {}, `${date(g.starts_on)} – ${date(g.expires_on)}`,
        !g.ended_on && !expired && g.expires_on <= soonText ? h('div', { class: 'danger small' }, t('gdap.expires_soon')) : null),
      h('td', {}, state),
      h('td', {}, g.ended_on || expired ? null : end)));
  }
  if (!list.length) rows.append(h('tr', {}, h('td', { colspan: 5, class: 'empty' }, t('gdap.none'))));
  const add = h('button', { id: 'add-admin-relationship' }, t('gdap.add'));
  add.addEventListener('click', async () => {
    const until = new Date(`${reference.today}T00:00:00Z`);
    until.setUTCDate(until.getUTCDate() + 730);
    const v = await formDialog(t('gdap.add'), h('div', {},
      field(t('gdap.name'), 'name'),
      field(t('gdap.roles'), 'roles', '', { multiline: true, rows: 2 }),
      h('label', { class: 'check-choice' }, h('input', { type: 'checkbox', name: 'global_admin', id: 'd-global_admin' }), ' ', t('gdap.global_admin')),
      field(t('gdap.starts_on'), 'starts_on', reference.today, { type: 'date' }),
      field(t('gdap.expires_on'), 'expires_on', until.toISOString().slice(0, 10), { type: 'date' })),
    t('gdap.add'), (vals) => (vals.name.trim() ? null : t('error.required')));
    if (v) act(api.addAdminRelationship(id, { ...v, global_admin: v.global_admin === 'on' }), t('customer.saved'));
  });
  return h('div', { class: 'card', id: 'customer-admin' },
    h('div', { class: 'page-head' }, h('h2', {}, t('gdap.title')), add),
    h('p', { class: 'muted small' }, t('gdap.explain')),
    h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ['gdap.name', 'gdap.roles', 'gdap.dates', 'gdap.state', ''].map((k) => h('th', {}, k ? t(k) : '')))),
      rows));
}

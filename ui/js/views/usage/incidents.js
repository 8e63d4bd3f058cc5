// Abuse incidents: opened from an alert or a notice, worked through their actions
// (suspend a subscription, restrict admin access, contact the customer) and closed with a
// note.

import { api } from '../../api.js';
import { h } from '../../dom.js';
import { labelled, listText, t, timestamp } from '../../i18n.js';
import { toast } from '../../shell.js';
import { formDialog } from '../../dialog.js';
import { errorText } from '../../errors.js';
import { act } from './act.js';

const CATEGORIES = ['spam', 'hacking', 'ddos', 'crypto_mining', 'malware', 'reselling_stolen', 'other'];

/**
 * Opens an abuse incident for a customer, linked to the alert or notice it comes from; or,
 * where the customer has an incident open, adds that evidence to it if the owner chooses.
 * @param {{ reload: () => void }} ctx
 */
export async function openIncident(ctx, customerId, link, title) {
  let open = [];
  try {
    open = (await api.incidents()).filter((i) => i.customer_id === customerId && !i.closed_at);
  } catch (e) {
    toast(errorText(e), 'error');
    return;
  }
  const category = h('select', { name: 'category', id: 'i-category' }, CATEGORIES.map((c) => h('option', { value: c }, t(`incidents.category.${c}`))));
  const fresh = h('div', {},
    h('label', {}, t('incidents.category'), category),
    h('label', {}, t('incidents.summary'), h('textarea', { name: 'summary', id: 'i-summary', rows: 3, cols: 50 }, title ?? '')));
  const which = h('select', { name: 'incident', id: 'i-incident' },
    h('option', { value: '' }, t('incidents.new')),
    open.map((i) => h('option', { value: String(i.id) }, `#${i.id} · ${t(`incidents.category.${i.category}`)} · ${i.summary.slice(0, 60)}`)));
  which.addEventListener('change', () => { fresh.hidden = which.value !== ''; });
  const body = h('div', {}, open.length ? h('label', {}, t('incidents.add_to'), which) : null, fresh);
  const v = await formDialog(t('incidents.open_title'), body, t('common.save'),
    (vals) => (vals.incident || vals.summary.trim() ? null : t('incidents.summary_required')));
  if (!v) return;
  if (v.incident && link) {
    await act(ctx, api.linkIncident(Number(v.incident), link[0], link[1]));
    return;
  }
  await act(ctx, api.openIncident({ customer_id: customerId, category: v.category, summary: v.summary, links: link ? [link] : [] }));
}

export function renderIncidents(card, list, ctx) {
  const body = h('tbody', { id: 'incident-rows' });
  for (const i of list) {
    const open = !i.closed_at;
    const suspend = h('button', { class: 'small', dataset: { suspend: i.id } }, t('incidents.action.suspend_subscription'));
    suspend.addEventListener('click', () => suspendFor(ctx, i));
    const restrict = h('button', { class: 'small', dataset: { restrict: i.id } }, t('incidents.action.restrict_admin'));
    restrict.addEventListener('click', () => incidentAction(ctx, i, 'restrict_admin', null, false));
    const contact = h('button', { class: 'small', dataset: { contact: i.id } }, t('incidents.action.contact_customer'));
    contact.addEventListener('click', () => incidentAction(ctx, i, 'contact_customer', null, true));
    const close = h('button', { class: 'small', dataset: { close: i.id } }, t('incidents.close'));
    close.addEventListener('click', async () => {
      const v = await formDialog(t('incidents.close'), h('label', {}, t('incidents.closing_note'), h('textarea', { name: 'note', id: 'i-close-note', rows: 3, cols: 50 })), t('common.save'),
        (vals) => (vals.note.trim() ? null : t('incidents.note_required')));
      if (!v) return;
      await act(ctx, api.closeIncident(i.id, v.note));
    });
    body.append(h('tr', { dataset: { incident: i.id, state: open ? 'open' : 'closed' } },
      h('td', {}, timestamp(i.opened_at)),
      h('td', {}, h('a', { href: `#/customers/${i.customer_id}` }, i.customer_name)),
      h('td', {}, t(`incidents.category.${i.category}`)),
      h('td', {}, i.summary,
        i.links.length ? h('div', { class: 'muted' }, listText(i.links.map(([k, id]) => `${t(`incidents.link.${k}`)} #${id}`))) : '',
        i.actions.map((a) => h('div', { class: 'muted' }, `${timestamp(a.at)} ${labelled(a.who, t(`incidents.action.${a.action}`))}${a.note ? ` — ${a.note}` : ''}`)),
        i.closed_at ? h('div', {}, labelled(t('incidents.closed'), i.closing_note)) : ''),
      h('td', { class: 'actions' }, open ? [suspend, restrict, contact, close] : '')));
  }
  if (!list.length) body.append(h('tr', {}, h('td', { class: 'empty', colspan: 5 }, t('incidents.none'))));
  card.replaceChildren(h('h2', {}, t('incidents.title')), h('p', { class: 'muted' }, t('incidents.explain')),
    h('table', { class: 'grid', id: 'incidents-table' }, h('thead', {}, h('tr', {},
      [t('incidents.opened'), t('customers.name'), t('incidents.category'), t('incidents.summary'), ''].map((c) => h('th', {}, c)))), body));
}

async function suspendFor(ctx, i) {
  let detail;
  try {
    detail = await api.getCustomer(i.customer_id);
  } catch (e) {
    toast(errorText(e), 'error');
    return;
  }
  const active = detail.subscriptions.filter((s) => s.status === 'active');
  if (!active.length) {
    toast(t('incidents.no_active_subscription'), 'error');
    return;
  }
  const pick = h('select', { name: 'subscription', id: 'i-subscription' }, active.map((s) => h('option', { value: String(s.id) }, `${s.offer} ${s.pc_subscription_id}`)));
  const v = await formDialog(t('incidents.action.suspend_subscription'), h('div', {},
    h('label', {}, t('notices.subscription'), pick),
    h('label', {}, t('common.note'), h('textarea', { name: 'note', id: 'i-note', rows: 3, cols: 50 }))), t('common.save'));
  if (!v) return;
  await act(ctx, api.recordIncidentAction(i.id, 'suspend_subscription', Number(v.subscription), v.note));
}

async function incidentAction(ctx, i, action, subscriptionId, needsNote) {
  const v = await formDialog(t(`incidents.action.${action}`), h('label', {}, t('common.note'), h('textarea', { name: 'note', id: 'i-note', rows: 3, cols: 50 })), t('common.save'),
    (vals) => (needsNote && !vals.note.trim() ? t('incidents.note_required') : null));
  if (!v) return;
  await act(ctx, api.recordIncidentAction(i.id, action, subscriptionId, v.note));
}

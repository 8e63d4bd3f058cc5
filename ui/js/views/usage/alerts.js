// The alerts inbox: most severe and newest first; acknowledge, resolve with a note, see the
// customer's chart, or open an incident from an alert.

import { api } from '../../api.js';
import { h } from '../../dom.js';
import { date, labelled, language, t } from '../../i18n.js';
import { remember } from '../../shell.js';
import { formDialog } from '../../dialog.js';
import { act } from './act.js';
import { openIncident } from './incidents.js';

/** The alert's text in the window's language. */
function tr(evidence, key) {
  return evidence?.[`${key}_${language() === 'zh-TW' ? 'zh' : 'en'}`] ?? '';
}

export function renderAlerts(card, alerts, ctx) {
  const { state } = ctx;
  const toggle = h('label', { class: 'muted' }, h('input', { type: 'checkbox', id: 'alerts-resolved', checked: state.showResolved }), ' ', t('alerts.show_resolved'));
  toggle.querySelector('input').addEventListener('change', (e) => {
    state.showResolved = /** @type {HTMLInputElement} */ (e.target).checked;
    remember('usage.alerts', { showResolved: state.showResolved });
    ctx.reload();
  });
  const body = h('tbody', { id: 'alert-rows' });
  for (const a of alerts) {
    const ack = h('button', { class: 'small', dataset: { ack: a.id } }, t('alerts.ack'));
    const resolve = h('button', { class: 'small', dataset: { resolve: a.id } }, t('alerts.resolve'));
    ack.addEventListener('click', () => act(ctx, api.setAlert(a.id, 'acknowledged', '')));
    resolve.addEventListener('click', async () => {
      const note = h('textarea', { name: 'note', rows: 3, cols: 50, id: 'alert-note' });
      const v = await formDialog(t('alerts.resolve_title'), h('label', {}, t('alerts.resolve_note'), note), t('alerts.resolve'),
        (vals) => (vals.note.trim() ? null : t('alerts.note_required')));
      if (v) act(ctx, api.setAlert(a.id, 'resolved', v.note));
    });
    const who = a.customer_id == null ? '' : h('a', { href: `#/customers/${a.customer_id}` }, a.customer_name ?? '');
    const chart = h('button', { class: 'small link' }, t('usage.chart'));
    chart.addEventListener('click', () => ctx.showChart(a.customer_id, a.customer_name, a.day));
    const incident = h('button', { class: 'small', dataset: { incident: a.id } }, t('incidents.open'));
    incident.addEventListener('click', () => openIncident(ctx, a.customer_id, ['alert', a.id], language() === 'zh-TW' ? a.title_zh : a.title_en));
    body.append(h('tr', { class: `alert status-${a.status}`, dataset: { kind: a.kind, day: a.day } },
      h('td', {}, h('span', { class: `badge level-${a.severity}` }, t(`alerts.severity.${a.severity}`))),
      h('td', { class: 'day' }, date(a.day)),
      h('td', {}, who),
      h('td', {}, h('strong', {}, language() === 'zh-TW' ? a.title_zh : a.title_en),
        h('div', { class: 'explain' }, tr(a.evidence, 'explain')),
        h('div', { class: 'muted' }, labelled(t('alerts.risk'), tr(a.evidence, 'risk'))),
        h('div', {}, labelled(t('alerts.action'), tr(a.evidence, 'action'))),
        a.note ? h('div', { class: 'muted' }, labelled(t('common.note'), a.note)) : ''),
      h('td', {}, t(`alerts.status.${a.status}`)),
      h('td', { class: 'actions' }, a.customer_id ? chart : '', a.status === 'open' ? ack : '', a.status !== 'resolved' ? resolve : '', a.customer_id ? incident : '')));
  }
  if (!alerts.length) body.append(h('tr', {}, h('td', { class: 'empty', colspan: 6 }, t('alerts.none'))));
  card.replaceChildren(h('div', { class: 'page-head' }, h('h2', {}, t('alerts.title')), toggle),
    h('table', { class: 'grid', id: 'alerts-table' }, h('thead', {}, h('tr', {},
      [t('alerts.level'), t('alerts.day'), t('customers.name'), t('alerts.finding'), t('customers.status'), ''].map((x) => h('th', {}, x)))), body));
}

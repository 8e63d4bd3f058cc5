// Microsoft's notices (acceptable-use, fraud alerts, suspensions): import or record one,
// step it through its workflow against its deadlines, and note a claim filed for fraud.

import { api } from '../../api.js';
import { h } from '../../dom.js';
import { date, labelled, number, t, timestamp } from '../../i18n.js';
import { formDialog } from '../../dialog.js';
import { errorText, problemList } from '../../errors.js';
import { toast } from '../../shell.js';
import { act } from './act.js';
import { openIncident } from './incidents.js';
import { customerPicker } from '../../customer-picker.js';

export function renderNotices(card, notices, ctx) {
  const importN = h('button', { id: 'import-notices' }, t('notices.import'));
  const addN = h('button', { id: 'add-notice' }, t('notices.add'));
  const result = h('div', { class: 'import-status', id: 'notices-status' });
  importN.addEventListener('click', async () => {
    try {
      const r = await api.importNotices(t('notices.import'));
      if (r) {
        const counts = { added: number(r.added), unchanged: number(r.unchanged), tests: number(r.tests) };
        result.replaceChildren(t(r.tests > 0 ? 'notices.imported_tests' : 'notices.imported', counts));
      }
      if (r) ctx.reload();
    } catch (e) {
      result.replaceChildren(problemList(e));
    }
  });
  addN.addEventListener('click', () => recordNotice(ctx));
  const body = h('tbody', { id: 'notice-rows' });
  for (const n of notices) {
    const next = h('button', { class: 'small', dataset: { step: n.id } }, t('notices.step'));
    next.addEventListener('click', () => stepNotice(ctx, n));
    const claim = h('button', { class: 'small', dataset: { claim: n.id } }, t('notices.claim'));
    claim.addEventListener('click', () => claimNotice(ctx, n));
    const incident = h('button', { class: 'small', dataset: { incident: n.id } }, t('incidents.open'));
    incident.addEventListener('click', () => openIncident(ctx, n.customer_id, ['notice', n.id], n.title));
    const late = n.respond_overdue ? t('notices.respond_overdue') : n.mitigate_overdue ? t('notices.mitigate_overdue') : '';
    const resolved = n.status.startsWith('resolved');
    body.append(h('tr', { class: late ? 'overdue' : '', dataset: { notice: n.id, status: n.status } },
      h('td', {}, timestamp(n.received_at)),
      h('td', {}, n.customer_id ? h('a', { href: `#/customers/${n.customer_id}` }, n.customer_name ?? '') : h('span', { class: 'mono' }, n.tenant_id)),
      h('td', {}, t(`notices.kind.${n.kind}`)),
      h('td', {}, h('strong', {}, n.title), h('div', { class: 'muted' }, n.body),
        n.resources.length ? h('div', { class: 'mono' }, n.resources.join(' ')) : ''),
      h('td', {}, t(`notices.status.${n.status}`),
        h('div', { class: 'muted' }, n.steps.map((st) => `${timestamp(st.at)} ${labelled(st.who, t(`notices.status.${st.status}`))}${st.note ? ` — ${st.note}` : ''}`).join('\n'))),
      h('td', {}, resolved ? '' : h('div', {}, labelled(t('notices.respond_by'), timestamp(n.respond_by))),
        resolved ? '' : h('div', {}, labelled(t('notices.mitigate_by'), timestamp(n.mitigate_by))),
        late ? h('strong', { class: 'danger' }, late) : '',
        n.claim_by ? h('div', { class: n.claim_filed_on ? 'muted' : 'danger' }, n.claim_filed_on ? t('notices.claimed', { day: date(n.claim_filed_on) }) : t('notices.claim_by', { day: date(n.claim_by) })) : ''),
      h('td', { class: 'actions' }, resolved ? '' : next, n.status === 'resolved_fraud' && !n.claim_filed_on && !n.claimed_for_tenant ? claim : '', n.customer_id ? incident : '')));
  }
  if (!notices.length) body.append(h('tr', {}, h('td', { class: 'empty', colspan: 7 }, t('notices.none'))));
  card.replaceChildren(h('div', { class: 'page-head' }, h('h2', {}, t('notices.title')), h('div', { class: 'toolbar' }, importN, addN)),
    h('p', { class: 'muted' }, t('notices.explain')), result,
    h('table', { class: 'grid', id: 'notices-table' }, h('thead', {}, h('tr', {},
      [t('notices.received'), t('customers.name'), t('notices.kind'), t('notices.notice'), t('customers.status'), t('notices.deadlines'), ''].map((c) => h('th', {}, c)))), body));
}


async function recordNotice(ctx) {
  const kind = h('select', { name: 'kind', id: 'n-kind' }, ['acceptable_use', 'fraud_alert', 'crypto_mining', 'suspension', 'other'].map((k) => h('option', { value: k }, t(`notices.kind.${k}`))));
  const picker = customerPicker({ name: 'customer', id: 'n-customer', empty: t('usage.choose_customer') });
  // The dialog opens even when the customers cannot be read (the notice may name none).
  await picker.load().catch((e) => toast(errorText(e), 'error'));
  const v = await formDialog(t('notices.add'), h('div', {},
    h('label', {}, t('notices.kind'), kind),
    h('label', {}, t('customers.name'), picker.element),
    h('label', {}, t('notices.title_field'), h('input', { name: 'title', id: 'n-title', size: 50 })),
    h('label', {}, t('notices.subscription'), h('input', { name: 'subscription', id: 'n-subscription', size: 40 })),
    h('label', {}, t('notices.received_at'), h('input', { name: 'received_at', id: 'n-received', placeholder: '2026-11-26T08:30:00Z', size: 24 })),
    h('label', {}, t('notices.text'), h('textarea', { name: 'text', id: 'n-text', rows: 4, cols: 50 }))), t('common.save'),
  (vals) => (vals.title.trim() ? null : t('notices.title_required')));
  if (!v) return;
  await act(ctx, api.addNotice({ kind: v.kind, title: v.title, customer_id: v.customer ? Number(v.customer) : null, subscription: v.subscription, received_at: v.received_at, text: v.text }));
}

async function stepNotice(ctx, n) {
  const steps = ['investigating', 'action_taken', 'responded', 'resolved_legitimate', 'resolved_fraud', 'resolved_ignored'];
  const status = h('select', { name: 'status', id: 'n-status' }, steps.map((k) => h('option', { value: k }, t(`notices.status.${k}`))));
  const v = await formDialog(t('notices.step_title', { title: n.title }), h('div', {},
    h('label', {}, t('customers.status'), status),
    h('label', {}, t('common.note'), h('textarea', { name: 'note', id: 'n-note', rows: 3, cols: 50 })),
    h('label', {}, t('notices.fraud_from'), h('input', { type: 'date', name: 'fraud_from', id: 'n-fraud-from' }))), t('common.save'),
  (vals) => (vals.status.startsWith('resolved') && !vals.note.trim() ? t('notices.note_required') : null));
  if (!v) return;
  await act(ctx, api.setNoticeStatus(n.id, v.status, v.note, v.fraud_from));
}

async function claimNotice(ctx, n) {
  const v = await formDialog(t('notices.claim'), h('label', {}, t('notices.claim_on'), h('input', { type: 'date', name: 'on', id: 'n-claim-on' })), t('common.save'));
  if (!v) return;
  await act(ctx, api.recordNoticeClaim(n.id, v.on));
}

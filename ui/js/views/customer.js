// One customer: details, the onboarding checklist, subscriptions with their suspension
// history, status changes with a reason, and the record's audit history.

import { api } from '../api.js';
import { clear, h, svg } from '../dom.js';
import { date, language, money, number, t, timestamp } from '../i18n.js';
import { documentWritten, reference, toast } from '../shell.js';
import { formDialog } from '../dialog.js';
import { statusBadge } from './customers.js';
import { errorText } from '../errors.js';

const STATUS_ACTIONS = {
  prospect: ['hold', 'close'],
  active: ['suspend', 'hold', 'close'],
  on_hold: ['reactivate', 'suspend', 'close'],
  suspended: ['reactivate', 'close'],
  closed: ['reactivate'],
};

function field(label, name, value = '', attrs = {}) {
  return h('label', { class: 'field' }, h('span', {}, label),
    h(attrs.multiline ? 'textarea' : 'input', { name, value, id: `d-${name}`, ...attrs, multiline: undefined }));
}

function selectField(label, name, values, prefix) {
  return h('label', { class: 'field' }, h('span', {}, label),
    h('select', { name, id: `d-${name}` }, values.map((v) => h('option', { value: v }, t(`${prefix}.${v}`)))));
}

function reasonSelect() {
  return h('label', { class: 'field' }, h('span', {}, t('sub.reason')),
    h('select', { name: 'reason', id: 'd-reason' },
      reference.reasons.map((r) => h('option', { value: r }, t(`reason.${r}`)))));
}

export function mount(root, { id }) {
  let alive = true;

  async function act(promise, message) {
    try {
      await promise;
      toast(message);
      await load();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  async function changeStatus(action) {
    const values = await formDialog(
      t(`customer.action.${action}.confirm`),
      h('div', {}, field(t('customer.reason'), 'reason'), field(t('common.note'), 'note', '', { multiline: true, rows: 2 }),
        // Reactivating with required checks missing needs an override with a reason.
        action === 'reactivate' ? field(t('onboarding.override_if_needed'), 'override_reason', '', { multiline: true, rows: 2 }) : null),
      t(`customer.action.${action}`),
      (v) => (v.reason.trim() ? null : t('error.reason_required')),
    );
    if (values) {
      const change = { action, reason: values.reason, note: values.note, override_reason: values.override_reason?.trim() || null };
      act(api.changeCustomerStatus(id, change), t('customer.saved'));
    }
  }

  async function recordCheck(item, existing) {
    const values = await formDialog(
      t(`check.${item}`),
      h('div', {},
        field(t('check.done_on'), 'done_on', existing?.done_on ?? reference.today, { type: 'date' }),
        field(t('check.done_by'), 'done_by', existing?.done_by ?? ''),
        field(t('check.reference'), 'reference', existing?.reference ?? ''),
        field(t('common.note'), 'note', existing?.note ?? '', { multiline: true, rows: 2 })),
      t('common.save'),
      (v) => (!v.done_by.trim() ? t('error.done_by_required')
        : item === 'credit_check' && !v.reference.trim() ? t('error.reference_required') : null),
    );
    if (values) act(api.recordCheck(id, { item, ...values }), t('customer.saved'));
  }

  async function addSubscription(currency) {
    const offers = h('datalist', { id: 'offer-list' }, reference.offers.map((o) => h('option', { value: o })));
    const values = await formDialog(
      t('sub.add'),
      h('div', {},
        field(t('sub.offer'), 'offer', '', { list: 'offer-list' }), offers,
        field(t('sub.pc_id'), 'pc_subscription_id', '', { spellcheck: 'false' }),
        field(t('sub.quantity'), 'quantity', '1', { inputmode: 'numeric' }),
        field(`${t('sub.monthly_price')} (${currency})`, 'monthly_price', '', { inputmode: 'decimal' }),
        field(t('sub.start_on'), 'start_on', reference.today, { type: 'date' }),
        selectField(t('sub.term'), 'term', ['monthly', 'annual', 'triennial'], 'sub.term'),
        selectField(t('sub.billing'), 'billing', ['monthly', 'annual', 'upfront'], 'sub.billing')),
      t('sub.add'),
      (v) => (!v.offer.trim() ? t('error.required') : null),
    );
    if (values) act(api.addSubscription(id, values), t('customer.saved'));
  }

  /** A renewal (a new term) or seats added, each opening a cancellation window. */
  async function termChange(sub, action) {
    const values = await formDialog(
      t(`sub.action.${action}.confirm`, { offer: sub.offer }),
      h('div', {},
        action === 'add_seats' ? field(t('sub.seats_added'), 'quantity', '1', { inputmode: 'numeric' }) : null,
        field(t('sub.on'), 'on', reference.today, { type: 'date' })),
      t(`sub.action.${action}`),
    );
    if (values) act(api.changeSubscription(sub.id, { action, ...values }), t('customer.saved'));
  }

  async function changeSubscription(sub, action) {
    const values = await formDialog(
      t(`sub.action.${action}.confirm`, { offer: sub.offer }),
      h('div', {}, reasonSelect(),
        field(t('sub.on'), 'on', reference.today, { type: 'date' }),
        field(t('common.note'), 'note', '', { multiline: true, rows: 2 })),
      t(`sub.action.${action}`),
    );
    if (values) act(api.changeSubscription(sub.id, { action, ...values }), t('customer.saved'));
  }

  function collectionsCard(col, policies, d) {
    const select = h('select', { id: 'customer-policy' },
      policies.map((p) => h('option', { value: p.id }, p.is_default ? `${p.name} (${t('policy.default')})` : p.name)));
    select.value = String(col.policy_id);
    const c = d.customer;
    select.addEventListener('change', () => {
      const chosen = policies.find((p) => String(p.id) === select.value);
      act(api.assignPolicy(id, chosen.is_default ? null : chosen.id), t('customer.saved'));
    });
    const doc = (kind) => {
      const b = h('button', { id: `doc-${kind}` }, t(`document.${kind}`));
      b.addEventListener('click', async () => {
        try {
          const path = await api.saveDocumentAs({ kind, customer_id: id, as_of: reference.today }, t(`document.${kind}`));
          if (path) documentWritten(path);
        } catch (e) { toast(errorText(e), 'error'); }
      });
      return b;
    };
    const st = col.statement;
    const m = (v) => money({ minor: v, currency: st.currency });
    const button = (label, handler, attrs = {}) => {
      const b = h('button', { class: 'small', ...attrs }, label);
      b.addEventListener('click', handler);
      return b;
    };
    const itemActions = (o) => h('div', { class: 'row-actions' },
      o.disputed
        ? button(t('invoice.resolve'), () => act(api.setDispute(o.invoice_id, false, ''), t('customer.saved')))
        : button(t('invoice.dispute'), async () => {
          const v = await formDialog(t('invoice.dispute_title', { n: o.number }), h('div', {}, field(t('common.note'), 'note', '', { multiline: true, rows: 2 })), t('invoice.dispute'));
          if (v) act(api.setDispute(o.invoice_id, true, v.note), t('customer.saved'));
        }, { dataset: { action: 'dispute' } }),
      button(t('invoice.write_off'), async () => {
        const v = await formDialog(t('invoice.write_off_title', { n: o.number, amount: money(o.due) }),
          h('div', {}, field(t('sub.on'), 'on', reference.today, { type: 'date' }), field(t('customer.reason'), 'reason')), t('invoice.write_off'),
          (x) => (x.reason.trim() ? null : t('error.reason_required')));
        if (v) act(api.writeOff(o.invoice_id, v.on, v.reason), t('customer.saved'));
      }));
    const recordPayment = button(t('payment.record'), async () => {
      const kind = h('label', { class: 'field' }, h('span', {}, t('payment.kind')),
        h('select', { name: 'kind' }, h('option', { value: 'payment' }, t('payment.payment')), h('option', { value: 'credit_note' }, t('payment.credit_note'))));
      const v = await formDialog(t('payment.record'), h('div', {}, kind,
        field(`${t('payment.amount')} (${st.currency})`, 'amount', '', { inputmode: 'decimal' }),
        field(t('payment.received_on'), 'received_on', reference.today, { type: 'date' }),
        field(t('payment.reference'), 'reference'),
        field(t('payment.method'), 'method', t('payment.bank_transfer')),
        field(t('payment.invoice'), 'invoice_number')), t('payment.record'),
      (x) => (!x.amount.trim() ? t('error.required') : !x.reference.trim() ? t('payment.reference_required') : null));
      if (v) act(api.recordPayment(id, v), t('customer.saved'));
    }, { id: 'record-payment' });
    const promise = button(t('promise.record'), async () => {
      const v = await formDialog(t('promise.record'), h('div', {},
        field(`${t('payment.amount')} (${st.currency})`, 'amount', '', { inputmode: 'decimal' }),
        field(t('promise.pay_by'), 'pay_by', reference.today, { type: 'date' }),
        field(t('common.note'), 'note', '', { multiline: true, rows: 2 })), t('promise.record'));
      if (v) act(api.addPromise(id, v), t('customer.saved'));
    }, { id: 'record-promise' });
    const prepay = button(t('prepay.request'), async () => {
      const v = await formDialog(t('prepay.request'), h('div', {},
        field(`${t('payment.amount')} (${st.currency})`, 'amount', '', { inputmode: 'decimal' }),
        field(t('prepay.due_on'), 'due_on', reference.today, { type: 'date' }),
        field(t('common.note'), 'note', '', { multiline: true, rows: 2 })), t('prepay.request'));
      if (v) act(api.requestPrepayment(id, v), t('customer.saved'));
    }, { id: 'request-prepayment' });
    const signed = button(t('policy.record_signature'), async () => {
      const policyName = policies.find((p) => p.id === col.policy_id)?.name ?? '';
      const v = await formDialog(t('policy.record_signature'), h('div', {},
        field(t('check.done_on'), 'done_on', reference.today, { type: 'date' }),
        field(t('check.done_by'), 'done_by', ''),
        field(t('policy.signed_by'), 'reference', c.contact_name)), t('common.save'),
      (x) => (x.done_by.trim() ? null : t('error.done_by_required')));
      if (v) act(api.recordCheck(id, { item: 'policy_acknowledged', done_on: v.done_on, done_by: v.done_by, reference: v.reference, note: t('policy.signed_note', { name: policyName }) }), t('customer.saved'));
    }, { id: 'record-signature' });
    const promiseText = col.promise ? h('p', { class: col.promise[1] === 'broken' ? 'warn' : 'muted' },
      t(`promise.${col.promise[1]}`, { amount: m(col.promise[0].amount_minor), date: date(col.promise[0].pay_by) })) : null;
    const prepayList = col.prepayments.length ? h('ul', { class: 'small', id: 'prepayment-list' }, col.prepayments.map((p) => h('li', {},
      `${money(p.amount)} · ${t('prepay.due_on')} ${date(p.due_on)} · `,
      p.received_on ? t('prepay.received', { date: date(p.received_on) })
        : button(t('prepay.mark_received'), () => act(api.prepaymentReceived(p.id, reference.today), t('customer.saved'))),
      p.note ? ` · ${p.note}` : ''))) : null;
    return h('div', { class: 'card', id: 'customer-collections' },
      h('h2', {}, t('customer.collections')),
      h('label', { class: 'field' }, h('span', {}, t('customer.policy')), select),
      h('p', {}, `${t('statement.balance')}: `, h('strong', { id: 'customer-balance' }, m(st.balance_minor))),
      st.open_items.length ? h('table', { class: 'grid' }, h('tbody', {}, st.open_items.map((o) => h('tr', {},
        h('td', {}, o.number), h('td', {}, date(o.due_on)),
        h('td', { class: o.days_overdue > 0 ? 'warn' : '' }, o.days_overdue > 0 ? t('aging.days_overdue', { n: o.days_overdue }) : t('aging.current')),
        h('td', { class: 'num' }, money(o.due)), h('td', {}, [o.disputed ? t('invoice.disputed') : '', o.requires_prepayment ? t('invoice.prepayment') : ''].filter(Boolean).join(' · ')), h('td', {}, itemActions(o)))))) : h('p', { class: 'muted' }, t('customer.nothing_open')),
      col.credit.minor ? h('p', {}, `${t('payment.credit')}: `, h('strong', {}, money(col.credit))) : null,
      promiseText,
      prepayList,
      h('div', { class: 'actions' }, recordPayment, promise, prepay),
      h('p', { class: 'muted small' }, t('customer.policy_hint')),
      h('div', { class: 'actions' }, doc('policy'), signed, doc('statement')));
  }

  function render(d, col, policies, risk, admins) {
    const c = d.customer;
    const dl = h('dl', { class: 'facts' });
    const fact = (label, value) => dl.append(h('dt', {}, t(label)), h('dd', {}, value || '—'));
    fact('field.tenant_id', c.tenant_id);
    fact('field.primary_domain', c.primary_domain);
    fact('field.country', c.country);
    fact('field.address', c.address);
    fact('field.contact_name', c.contact_name);
    fact('field.phone', c.phone);
    fact('field.email', c.email);
    fact('field.tax_id', c.tax_id);
    fact('field.language', t(`language.${c.language}`));
    fact('field.payment_terms_days', t('customer.days', { n: c.payment_terms_days }));
    fact('field.credit_limit', money(c.credit_limit));
    fact('field.payment_instrument', t(`instrument.${c.payment_instrument}`));
    fact('field.card_present', c.card_present ? t('common.yes') : t('common.no'));
    fact('field.admin_access', t(`admin.${c.admin_access}`));
    fact('field.notes', c.notes);

    const checks = h('ul', { class: 'checklist', id: 'checklist' });
    for (const item of reference.onboarding_items) {
      const done = d.checks.find((k) => k.item === item);
      const edit = h('button', { class: 'small' }, done ? t('common.edit') : t('check.record'));
      edit.addEventListener('click', () => recordCheck(item, done));
      const undo = done ? h('button', { class: 'small link' }, t('check.clear')) : null;
      undo?.addEventListener('click', () => act(api.clearCheck(id, item), t('customer.saved')));
      checks.append(h('li', { class: done ? 'done' : 'open', dataset: { item } },
        h('span', { class: 'tick', 'aria-hidden': 'true' }, done ? '✔' : '○'),
        h('div', {}, h('strong', {}, t(`check.${item}`)),
          done ? h('div', { class: 'muted small' },
            [date(done.done_on), done.done_by, done.reference, done.note].filter(Boolean).join(' · ')) : null),
        h('div', { class: 'row-actions' }, edit, undo)));
    }

    // Exceptions to the onboarding rules (an override with a reason, or an existing book
    // brought in as it was): who, when, which rule, why.
    const exceptions = d.history.filter((r) => r.action === 'onboarding_override');
    const exceptionList = exceptions.length
      ? h('div', { id: 'onboarding-exceptions' }, h('h3', {}, t('customer.exceptions')),
        h('ul', { class: 'small' }, exceptions.map((r) => h('li', {},
          `${t(`onboarding.rule.${r.after?.rule ?? ''}`)} — ${r.after?.reason ?? ''} (${r.os_user}, ${timestamp(r.at)})`))))
      : '';

    const subs = h('tbody', { id: 'subscription-rows' });
    for (const s of d.subscriptions) {
      const actions = h('div', { class: 'row-actions' });
      const next = s.status === 'active' ? ['suspend', 'cancel'] : s.status === 'suspended' ? ['reactivate', 'cancel'] : [];
      for (const a of next) {
        const b = h('button', { class: 'small', dataset: { action: a } }, t(`sub.action.${a}`));
        b.addEventListener('click', () => changeSubscription(s, a));
        actions.append(b);
      }
      if (s.status !== 'cancelled') {
        for (const a of s.term === 'monthly' ? ['add_seats'] : ['add_seats', 'renew']) {
          const b = h('button', { class: 'small', dataset: { action: a } }, t(`sub.action.${a}`));
          b.addEventListener('click', () => termChange(s, a));
          actions.append(b);
        }
      }
      const term = `${t(`sub.term.${s.term}`)} · ${t(`sub.billing.${s.billing}`)}${s.term_start_on !== s.start_on ? ` · ${t('sub.renewed')} ${date(s.term_start_on)}` : ''}`;
      subs.append(h('tr', { dataset: { id: s.id } },
        h('td', {}, s.offer, h('div', { class: 'muted small', dataset: { term: s.term } }, term),
          s.pc_subscription_id ? h('div', { class: 'muted small mono' }, s.pc_subscription_id) : null),
        h('td', { class: 'num' }, number(s.quantity)),
        h('td', { class: 'num' }, money(s.monthly_price)),
        h('td', {}, date(s.start_on)),
        h('td', {}, h('span', { class: `badge sub-${s.status}` }, t(`sub.status.${s.status}`))),
        h('td', {}, actions)));
      for (const e of s.events) {
        subs.append(h('tr', { class: 'event' }, h('td', { colspan: 6 },
          `${date(e.happened_on)} — ${t(`sub.action.${e.action}`)} · ${t(`reason.${e.reason}`)}${e.note ? ` · ${e.note}` : ''}`)));
      }
    }
    if (!d.subscriptions.length) subs.append(h('tr', {}, h('td', { colspan: 6, class: 'empty' }, t('sub.none'))));

    const history = h('ol', { class: 'history' });
    for (const a of d.history) {
      const what = a.after?.reason ? ` · ${a.after.reason}` : '';
      history.append(h('li', {}, h('span', { class: 'muted' }, timestamp(a.at)), ' ',
        h('strong', {}, t(`audit.${a.entity}.${a.action}`)), ` · ${a.os_user}${what}`));
    }

    const statusButtons = (STATUS_ACTIONS[c.status] ?? []).map((a) => {
      const b = h('button', { dataset: { action: a }, id: `status-${a}` }, t(`customer.action.${a}`));
      b.addEventListener('click', () => changeStatus(a));
      return b;
    });
    const addSub = h('button', { id: 'add-subscription' }, t('sub.add'));
    addSub.addEventListener('click', () => addSubscription(c.currency));

    clear(root);
    root.append(h('section', { class: 'page', id: 'customer-detail' },
      h('p', {}, h('a', { href: '#/customers' }, `← ${t('nav.customers')}`)),
      h('div', { class: 'page-head' },
        h('h1', { id: 'customer-title' }, c.legal_name, ' ', statusBadge(c.status)),
        h('div', { class: 'actions' },
          h('a', { class: 'button', href: `#/customers/${id}/edit`, id: 'edit-customer' }, t('common.edit')),
          statusButtons)),
      h('div', { class: 'columns' },
        h('div', { class: 'card' }, h('h2', {}, t('customer.details')), dl),
        h('div', { class: 'card' }, h('h2', {}, t('customer.onboarding'),
          h('span', { class: 'muted small' }, ` ${d.checks.length}/${reference.onboarding_items.length}`)), checks, exceptionList)),
      h('div', { class: 'card' },
        h('div', { class: 'page-head' }, h('h2', {}, t('customer.subscriptions')), addSub),
        h('table', { class: 'grid' },
          h('thead', {}, h('tr', {}, ['sub.offer', 'sub.quantity', 'sub.monthly_price', 'sub.start_on', 'sub.status', ''].map((k) => h('th', {}, k ? t(k) : '')))),
          subs)),
      riskCard(risk),
      adminCard(admins),
      collectionsCard(col, policies, d),
      h('div', { class: 'card' }, h('h2', {}, t('customer.history')), history),
    ));
  }

  /** The risk score, its factors in order of contribution, exposure and history. */
  function riskCard(r) {
    if (!r) return null;
    const cur = r.exposure.currency;
    const m = (minor) => (cur ? money({ minor, currency: cur }) : String(minor));
    const zh = language() === 'zh-TW';
    const factors = h('ul', { class: 'factors', id: 'risk-factors' }, r.factors.map((f) =>
      h('li', { dataset: { factor: f.key } }, h('strong', {}, `+${f.points} ${t(`risk.factor.${f.key}`)}`), ': ', zh ? f.evidence_zh : f.evidence,
        h('div', { class: 'muted' }, `${t('alerts.action')}: ${zh ? f.action_zh : f.action}`))));
    if (!r.factors.length) factors.append(h('li', { class: 'muted' }, t('risk.no_factors')));
    const over = r.exposure.over_limit;
    const windows = r.windows.map((w) => h('p', { class: 'danger', dataset: { window: w.subscription_id } },
      t('risk.window', { offer: w.offer, n: number(w.quantity), hours: number(w.hours_left), closes: w.closes_at.replace('T', ' ').replace(':00Z', ' UTC') })));
    const report = h('button', { id: 'risk-report' }, t('risk.report'));
    report.addEventListener('click', async () => {
      try {
        const path = await api.saveDocumentAs({ kind: 'risk', customer_id: id, as_of: reference.today, lang: language() }, t('risk.report'));
        if (path) documentWritten(path);
      } catch (e) { toast(errorText(e), 'error'); }
    });
    return h('div', { class: 'card', id: 'customer-risk' },
      h('div', { class: 'page-head' }, h('h2', {}, t('risk.title')),
        h('span', { class: `badge risk-${r.level}`, id: 'risk-level' }, `${r.score} · ${t(`risk.level.${r.level}`)}`), report),
      windows,
      factors,
      h('p', { class: over ? 'danger' : 'muted', id: 'risk-exposure' }, t('risk.exposure', {
        total: m(r.exposure.total_minor), open: m(r.exposure.open_receivables_minor),
        usage: m(r.exposure.usage_not_invoiced_minor), committed: m(r.exposure.committed_minor),
        credit: m(r.exposure.credit_minor), limit: m(r.exposure.credit_limit_minor),
      })),
      r.exposure.usage_rate
        ? h('p', { class: 'muted small', id: 'risk-usage-rate' }, t('risk.usage_rate', { rate: language() === 'zh-TW' ? r.exposure.usage_rate[1] : r.exposure.usage_rate[0] }))
        : '',
      r.exposure.usage_unconverted.length
        ? h('p', { class: 'danger', id: 'risk-usage-unconverted' }, t('risk.usage_unconverted', { amounts: r.exposure.usage_unconverted.map(money).join(', ') }))
        : '',
      historyChart(r.history, r.edges));
  }

  /** Admin relationships (GDAP): roles, dates, Global Administrator flagged; add and end. */
  function adminCard(list) {
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

  /** The score's history as a small line chart (0 to 100), oldest on the left. */
  function historyChart(history, edges) {
    if (!history.length) return null;
    const W = 320;
    const H = 80;
    const pts = history.length === 1 ? [[0, history[0][1]], [W, history[0][1]]]
      : history.map(([, score], i) => [Math.round((i / (history.length - 1)) * W), score]);
    const y = (score) => Math.round(H - (score / 100) * H);
    return h('figure', { class: 'history-chart', id: 'risk-history' },
      h('figcaption', { class: 'muted small' }, `${t('risk.history')}: ${history.map(([day, score]) => `${day} ${score}`).join(' → ')}`),
      svg('svg', { viewBox: `-4 -4 ${W + 8} ${H + 8}`, width: W + 8, height: H + 8, role: 'img', 'aria-label': t('risk.history') },
        svg('rect', { x: 0, y: 0, width: W, height: H, class: 'chart-bg' }),
        ...edges.map((e) => svg('line', { x1: 0, x2: W, y1: y(e), y2: y(e), class: 'chart-edge' })),
        svg('polyline', { points: pts.map(([x, s]) => `${x},${y(s)}`).join(' '), class: 'chart-line' })));
  }

  async function load() {
    try {
      const [d, col, policies, risk, admins] = await Promise.all([api.getCustomer(id), api.customerCollections(id, reference.today), api.policies(),
        api.customerRisk(id).catch(() => null), api.adminRelationships(id)]);
      if (alive) render(d, col, policies, risk, admins);
    } catch (e) {
      if (!alive) return;
      clear(root);
      root.append(h('p', { class: 'error' }, e.code === 'not_found' ? t('customer.not_found') : errorText(e)));
    }
  }
  load();
  return () => { alive = false; };
}

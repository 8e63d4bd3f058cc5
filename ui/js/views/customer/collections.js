// The customer page's collections card.

import { api } from '../../api.js';
import { h } from '../../dom.js';
import { aside, date, labelled, money, paymentMethod, t } from '../../i18n.js';
import { documentWritten, reference, savedSaying, toast } from '../../shell.js';
import { formDialog } from '../../dialog.js';
import { errorText } from '../../errors.js';
import { field, selectField } from './fields.js';
import { sendButton } from './send-mail.js';

/**
 * Collections: the customer's policy, balance and open invoices (dispute, write off), a
 * payment, a promise, a prepayment, the latest payments (one taken back: a charge-back, a
 * returned transfer), and the policy and statement as documents.
 * @param {{ id: number, act: (work: Promise<any>, message: string | ((answer: any) => string)) => Promise<void> }} ctx
 */
export function collectionsCard(ctx, col, policies, d) {
  const { id, act } = ctx;
  const select = h('select', { id: 'customer-policy' },
    policies.map((p) => h('option', { value: p.id }, p.is_default ? aside(p.name, t('policy.default')) : p.name)));
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
    // The same document as an e-mail draft to the customer, opened from the bar below.
    const mail = h('button', { class: 'small', id: `mail-${kind}` }, t('mail.draft'));
    mail.addEventListener('click', async () => {
      try {
        const d = await api.writeDocumentDraft({ kind, customer_id: id, as_of: reference.today });
        toast(t('mail.draft_written', { to: d.to }));
        documentWritten(d.path);
      } catch (e) { toast(errorText(e), 'error'); }
    });
    const send = sendButton({ kind, customer_id: id, as_of: reference.today }, act, { id: `send-${kind}` });
    return h('span', { class: 'doc-pair' }, b, ' ', mail, ' ', send);
  };
  const st = col.statement;
  /** The running plan an open invoice is in (its id), if any. */
  const inPlan = (o) => st.plans.find((p) => p.status === 'kept'
    && (p.invoices.some((i) => i.invoice_id === o.invoice_id) || p.interest_invoice === o.invoice_id))?.id;
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
      field(aside(t('payment.amount'), st.currency), 'amount', '', { inputmode: 'decimal' }),
      field(t('payment.received_on'), 'received_on', reference.today, { type: 'date' }),
      field(t('payment.reference'), 'reference'),
      field(t('payment.method'), 'method', t('payment.bank_transfer')),
      field(t('payment.invoice'), 'invoice_number')), t('payment.record'),
    (x) => (!x.amount.trim() ? t('error.required') : !x.reference.trim() ? t('payment.reference_required') : null));
    if (v) act(api.recordPayment(id, v), (fixed) => savedSaying(fixed, t('customer.saved')));
  }, { id: 'record-payment' });
  const promise = button(t('promise.record'), async () => {
    const v = await formDialog(t('promise.record'), h('div', {},
      field(aside(t('payment.amount'), st.currency), 'amount', '', { inputmode: 'decimal' }),
      field(t('promise.pay_by'), 'pay_by', reference.today, { type: 'date' }),
      field(t('common.note'), 'note', '', { multiline: true, rows: 2 })), t('promise.record'));
    if (v) act(api.addPromise(id, v), t('customer.saved'));
  }, { id: 'record-promise' });
  const prepay = button(t('prepay.request'), async () => {
    const v = await formDialog(t('prepay.request'), h('div', {},
      field(aside(t('payment.amount'), st.currency), 'amount', '', { inputmode: 'decimal' }),
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
  /** A payment taken back: asks when and why, then records it (what it paid is owed again). */
  const giveBack = (p) => button(t('payment.return'), async () => {
    const v = await formDialog(t('payment.return_title', { reference: p.reference, amount: money(p.amount) }), h('div', {},
      h('p', { class: 'muted small' }, t('payment.return_hint')),
      field(t('payment.returned_on'), 'returned_on', reference.today, { type: 'date', min: p.received_on }),
      selectField(t('payment.return_reason'), 'reason', ['chargeback', 'returned', 'recalled'], 'payment.reason'),
      field(t('common.note'), 'note', '', { multiline: true, rows: 2 })), t('payment.return'));
    if (v) act(api.returnPayment(p.id, v), (fixed) => savedSaying(fixed, t('customer.saved')));
  }, { dataset: { action: 'return-payment' } });
  const payments = col.payments.length ? h('details', { id: 'customer-payments' },
    h('summary', {}, t('payment.latest', { n: col.payments.length })),
    h('table', { class: 'grid' }, h('tbody', {}, col.payments.map((p) => h('tr', {},
      h('td', { class: 'day' }, date(p.received_on)), h('td', {}, p.reference),
      h('td', {}, p.kind === 'credit_note' ? t('payment.credit_note') : (p.method ? paymentMethod(p.method) : t('payment.payment'))),
      h('td', { class: 'num' }, money(p.amount)),
      h('td', { class: p.returned_on ? 'warn' : '' }, p.returned_on
        ? labelled(t(`payment.reason.${p.return_reason}`), date(p.returned_on))
        : p.kind === 'payment' ? giveBack(p) : '')))))) : null;
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
    h('p', {}, labelled(t('statement.balance'), ''), h('strong', { id: 'customer-balance' }, m(st.balance_minor))),
    st.open_items.length ? h('table', { class: 'grid' }, h('tbody', {}, st.open_items.map((o) => h('tr', {},
      h('td', {}, o.number), h('td', { class: 'day' }, date(o.due_on)),
      h('td', { class: o.days_overdue > 0 ? 'warn' : '' }, o.days_overdue > 0 ? t('aging.days_overdue', { n: o.days_overdue }) : t('aging.current'),
        inPlan(o) ? h('span', { class: 'badge plan-kept small' }, ` ${t('plan.title', { n: inPlan(o) })}`) : null),
      h('td', { class: 'num' }, money(o.due)), h('td', {}, [o.disputed ? t('invoice.disputed') : '', o.requires_prepayment ? t('invoice.prepayment') : ''].filter(Boolean).join(' · ')), h('td', {}, itemActions(o)))))) : h('p', { class: 'muted' }, t('customer.nothing_open')),
    col.credit.minor ? h('p', {}, labelled(t('payment.credit'), ''), h('strong', {}, money(col.credit))) : null,
    promiseText,
    prepayList,
    payments,
    h('div', { class: 'actions' }, recordPayment, promise, prepay),
    h('p', { class: 'muted small' }, t('customer.policy_hint')),
    h('div', { class: 'actions' }, doc('policy'), signed, doc('statement')));
}

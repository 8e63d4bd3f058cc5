// One customer: details, the onboarding checklist, subscriptions with their suspension
// history, status changes with a reason, and the record's audit history.

import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { aside, country, date, money, number, t, timestamp } from '../i18n.js';
import { newestRead, perform, reference, toast } from '../shell.js';
import { formDialog } from '../dialog.js';
import { statusBadge } from './customers.js';
import { errorText } from '../errors.js';
import { field, reasonSelect, selectField } from './customer/fields.js';
import { collectionsCard } from './customer/collections.js';
import { riskCard } from './customer/risk.js';
import { adminCard } from './customer/admin.js';
import { plansCard } from './customer/plans.js';

const STATUS_ACTIONS = {
  prospect: ['hold', 'close'],
  active: ['suspend', 'hold', 'close'],
  on_hold: ['reactivate', 'suspend', 'close'],
  suspended: ['reactivate', 'close'],
  closed: ['reactivate'],
};

export function mount(root, { id }) {
  let alive = true;
  // Read again after every action: two actions in quick turn, only the second's read draws.
  const read = newestRead();

  /** @param {Promise<unknown>} promise @param {string} message */
  const act = (promise, message) => perform(promise, message, load);
  // What the cards need: the customer and how to act on it.
  const cards = { id, act };

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
        field(aside(t('sub.monthly_price'), currency), 'monthly_price', '', { inputmode: 'decimal' }),
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

  function render(d, col, policies, risk, admins, plans) {
    const c = d.customer;
    const dl = h('dl', { class: 'facts' });
    const fact = (label, value) => dl.append(h('dt', {}, t(label)), h('dd', {}, value || '—'));
    fact('field.tenant_id', c.tenant_id);
    // The domain and addresses as they are shown: `範例.台灣`, kept in Punycode.
    fact('field.primary_domain', d.form.primary_domain);
    fact('field.country', country(c.country));
    fact('field.address', c.address);
    fact('field.contact_name', c.contact_name);
    fact('field.phone', c.phone);
    fact('field.email', d.form.email);
    fact('field.billing_email', d.form.billing_email);
    fact('field.tax_id', c.tax_id);
    fact('field.language', t(`language.${c.language}`));
    fact('field.payment_terms_days', t('customer.days', { n: c.payment_terms_days }));
    fact('field.credit_limit', money(c.credit_limit));
    fact('field.payment_instrument', t(`instrument.${c.payment_instrument}`));
    fact('field.card_present', c.card_present ? t('common.yes') : t('common.no'));
    fact('field.admin_access', t(`admin.${c.admin_access}`));
    fact('field.virtual_account', c.virtual_account);
    fact('field.payer_names', (c.payer_names || []).join('; '));
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
          aside(`${t(`onboarding.rule.${r.after?.rule ?? ''}`)} — ${r.after?.reason ?? ''}`, `${r.os_user}, ${timestamp(r.at)}`)))))
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
        h('td', { class: 'day' }, date(s.start_on)),
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
      riskCard(cards, risk),
      adminCard(cards, admins),
      collectionsCard(cards, col, policies, d),
      plansCard(cards, plans),
      d.mail.length ? h('div', { class: 'card', id: 'customer-mail' }, h('h2', {}, t('mail.log_title')),
        h('table', { class: 'grid' }, h('tbody', {}, d.mail.map((m) => h('tr', {},
          h('td', { class: 'muted' }, timestamp(m.at)), h('td', {}, t(`mail.kind.${m.kind}`)), h('td', {}, m.recipient),
          h('td', {}, m.subject), h('td', { class: 'muted small', title: m.attachment_sha256 }, m.attachment),
          h('td', { class: m.kind === 'failed' ? 'warn small' : 'muted small' }, m.reply)))))) : null,
      h('div', { class: 'card' }, h('h2', {}, t('customer.history')), history),
    ));
  }

  async function load() {
    const newest = read();
    try {
      const [d, col, policies, risk, admins, plans] = await Promise.all([api.getCustomer(id), api.customerCollections(id, reference.today), api.policies(),
        api.customerRisk(id).catch(() => null), api.adminRelationships(id), api.customerPlans(id)]);
      if (alive && newest()) render(d, col, policies, risk, admins, plans);
    } catch (e) {
      if (!alive || !newest()) return;
      clear(root);
      root.append(h('p', { class: 'error' }, e.code === 'not_found' ? t('customer.not_found') : errorText(e)));
    }
  }
  load();
  return () => { alive = false; };
}

// The customer page's payment plans card: each plan with its schedule and where it stands,
// a new plan offered over chosen open invoices (the schedule worked out by Rust before it is
// made), the agreement as PDF for signing, and a plan cancelled with a reason.

import { api } from '../../api.js';
import { h } from '../../dom.js';
import { date, listText, money, t } from '../../i18n.js';
import { documentWritten, reference, toast } from '../../shell.js';
import { formDialog } from '../../dialog.js';
import { errorText } from '../../errors.js';
import { field } from './fields.js';
import { sendButton } from './send-mail.js';

function schedule(plan) {
  return h('table', { class: 'grid plan-schedule' },
    h('thead', {}, h('tr', {}, ...['seq', 'due', 'principal', 'interest', 'amount', 'state'].map((k) => h('th', {}, t(`plan.col.${k}`))))),
    h('tbody', {}, plan.instalments.map((i) => h('tr', { dataset: { state: i.state ?? '' } },
      h('td', {}, String(i.seq)), h('td', { class: 'day' }, date(i.due_on)), h('td', { class: 'num' }, money(i.principal)),
      h('td', { class: 'num' }, money(i.interest)), h('td', { class: 'num' }, money(i.amount)),
      h('td', {}, i.state ? t(`plan.state.${i.state}`) : '')))));
}

/**
 * @param {{ id: number, act: (work: Promise<unknown>, message: string) => Promise<void> }} ctx
 * @param {any[]} plans
 */
export function plansCard(ctx, plans) {
  const { id, act } = ctx;
  const offer = h('button', { id: 'plan-offer' }, t('plan.offer'));
  offer.addEventListener('click', () => offerPlan());

  async function offerPlan() {
    let open;
    try {
      open = await api.openInvoices(id);
    } catch (e) {
      toast(errorText(e), 'error');
      return;
    }
    if (!open.length) {
      toast(t('plan.nothing_open'));
      return;
    }
    const preview = h('div', { id: 'plan-preview' });
    const body = h('div', {},
      h('p', { class: 'muted' }, t('plan.explain')),
      h('fieldset', { class: 'plan-invoices' }, h('legend', {}, t('plan.invoices')),
        open.map((o) => h('label', { class: 'check' },
          h('input', { type: 'checkbox', name: `inv-${o.invoice_id}`, value: 'yes', checked: true, id: `plan-inv-${o.invoice_id}` }),
          ` ${o.number} · ${date(o.due_on)} · ${money(o.owed)}`))),
      h('div', { class: 'form-grid' },
        field(t('plan.instalments'), 'instalments', '3', { inputmode: 'numeric', size: '4' }),
        field(t('plan.first'), 'first', reference.today, { type: 'date' }),
        h('label', { class: 'field' }, h('span', {}, t('plan.every')),
          h('select', { name: 'every', id: 'd-every' }, ['month', '2weeks'].map((e) => h('option', { value: e }, t(`plan.every.${e}`))))),
        field(t('plan.rate'), 'rate', '0', { inputmode: 'decimal', size: '6' }),
        field(t('common.note'), 'note')),
      h('details', { id: 'plan-typed' }, h('summary', {}, t('plan.typed')),
        h('p', { class: 'muted small' }, t('plan.typed_hint')),
        h('textarea', { name: 'typed', id: 'd-typed', rows: 4, placeholder: '2026-12-15 30,000\n2027-01-15 30,000' })),
      h('button', { type: 'button', id: 'plan-show-schedule' }, t('plan.show_schedule')),
      preview);
    const input = (v) => ({
      customer_id: id,
      invoices: Object.keys(v).filter((k) => k.startsWith('inv-')).map((k) => Number(k.slice(4))),
      instalments: v.instalments ?? '', first: v.first ?? '', every: v.every ?? 'month', rate: v.rate ?? '', note: v.note ?? '',
      typed: v.typed ?? '',
    });
    const read = () => {
      const form = /** @type {HTMLFormElement} */ (body.closest('form'));
      return Object.fromEntries([...new FormData(form).entries()].map(([k, x]) => [k, String(x)]));
    };
    body.querySelector('#plan-show-schedule')?.addEventListener('click', async () => {
      try {
        const d = await api.previewPaymentPlan(input(read()));
        preview.replaceChildren(
          h('p', { id: 'plan-totals' }, t('plan.totals', { owed: money(d.owed), interest: money(d.interest), total: money(d.total) })),
          schedule(d));
      } catch (e) {
        preview.replaceChildren(h('p', { class: 'error' }, errorText(e)));
      }
    });
    for (;;) {
      const v = await formDialog(t('plan.offer'), body, t('plan.make'));
      if (!v) return;
      try {
        const plan = await api.createPaymentPlan(input(v));
        await act(Promise.resolve(plan), t('plan.made', { n: plan.id }));
        return;
      } catch (e) {
        preview.replaceChildren(h('p', { class: 'error' }, errorText(e)));
        toast(errorText(e), 'error');
      }
    }
  }

  const planBlock = (p) => {
    const agreement = h('button', { class: 'small', dataset: { agreement: String(p.id) } }, t('plan.agreement'));
    agreement.addEventListener('click', async () => {
      try {
        const path = await api.saveDocumentAs({ kind: 'plan', customer_id: id, plan_id: p.id, as_of: reference.today }, t('plan.agreement'));
        if (path) documentWritten(path);
      } catch (e) { toast(errorText(e), 'error'); }
    });
    const mail = h('button', { class: 'small', dataset: { mailPlan: String(p.id) } }, t('mail.draft'));
    mail.addEventListener('click', async () => {
      try {
        const d = await api.writeDocumentDraft({ kind: 'plan', customer_id: id, plan_id: p.id, as_of: reference.today });
        toast(t('mail.draft_written', { to: d.to }));
        documentWritten(d.path);
      } catch (e) { toast(errorText(e), 'error'); }
    });
    const cancel = h('button', { class: 'small link', dataset: { cancelPlan: String(p.id) } }, t('plan.cancel'));
    cancel.addEventListener('click', async () => {
      const v = await formDialog(t('plan.cancel_title', { n: p.id }), h('div', {}, field(t('customer.reason'), 'note')), t('plan.cancel'),
        (x) => (x.note.trim() ? null : t('error.reason_required')));
      if (v) act(api.cancelPaymentPlan(p.id, v.note), t('customer.saved'));
    });
    const running = p.status === 'kept' || p.status === 'broken';
    return h('div', { class: 'plan', dataset: { plan: String(p.id), status: p.status } },
      h('h3', {}, t('plan.title', { n: p.id }), ' ',
        h('span', { class: `badge plan-${p.status}` }, t(`plan.status.${p.status}`))),
      h('p', {}, t('plan.summary', { made: date(p.made_on), paid: money(p.paid), total: money(p.total), rate: (p.rate_bp / 100).toFixed(2) }),
        p.ended_on ? ` · ${t('plan.ended', { date: date(p.ended_on) })}` : ''),
      h('p', { class: 'muted small' }, listText(p.invoices.map((i) => `${i.number} ${money(i.owed)}`))),
      schedule(p),
      h('div', { class: 'actions' }, agreement, mail,
        sendButton({ kind: 'plan', customer_id: id, plan_id: p.id, as_of: reference.today }, act, { dataset: { sendPlan: String(p.id) } }),
        running && p.status === 'kept' ? cancel : null));
  };

  return h('section', { class: 'card', id: 'customer-plans' },
    h('div', { class: 'page-head' }, h('h2', {}, t('plan.card')), offer),
    plans.length ? plans.map(planBlock) : h('p', { class: 'muted' }, t('plan.none')));
}

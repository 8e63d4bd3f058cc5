// The month's spend per customer against its budget (set a budget, see the daily chart),
// and the tenants of usage files that no customer has yet (link, or create the customer).

import { api } from '../../api.js';
import { clear, h, svg } from '../../dom.js';
import { date, labelled, language, listText, money, monthText, number, plainAmount, t } from '../../i18n.js';
import { toast } from '../../shell.js';
import { confirmDialog, formDialog } from '../../dialog.js';
import { errorText } from '../../errors.js';
import { act } from './act.js';
import { customerPicker } from '../../customer-picker.js';

export function renderTenants(card, unlinked, ctx) {
  card.hidden = unlinked.length === 0;
  const body = h('tbody', { id: 'tenant-rows' });
  for (const x of unlinked) {
    const picker = customerPicker({ empty: t('usage.choose_customer') });
    const pick = picker.select;
    pick.dataset.tenant = x.tenant_id;
    picker.load().catch((e) => toast(errorText(e), 'error'));
    const link = h('button', { class: 'small' }, t('usage.link'));
    link.addEventListener('click', async () => {
      if (!pick.value) return;
      await act(ctx, api.linkTenant(x.tenant_id, Number(pick.value)));
    });
    const q = new URLSearchParams({ name: x.name, tenant: x.tenant_id, domain: x.domain });
    const create = h('a', { href: `#/customers/new?${q}`, class: 'small', dataset: { create: x.tenant_id } }, t('usage.create_customer'));
    body.append(h('tr', {}, h('td', {}, x.name), h('td', {}, x.domain), h('td', { class: 'mono' }, x.tenant_id),
      h('td', { class: 'num' }, number(x.days)), h('td', {}, picker.element, ' ', link, ' ', create)));
  }
  card.replaceChildren(h('h2', {}, t('usage.tenants_title')), h('p', { class: 'muted' }, t('usage.tenants_explain')),
    h('table', { class: 'grid' }, h('thead', {}, h('tr', {},
      [t('usage.tenant_name'), t('field.primary_domain'), t('field.tenant_id'), t('usage.days'), ''].map((c) => h('th', {}, c)))), body));
}

/** The cells of a budget's figures: the budget, the percent spent and the forecast. */
function budgetCells(b) {
  const over = b && b.percent >= 100;
  return [
    h('td', { class: 'num' }, b ? money(b.budget.amount) : '—'),
    h('td', { class: `num ${over ? 'danger' : ''}` }, b ? `${b.percent}%` : ''),
    h('td', { class: 'num' }, b?.forecast ? money(b.forecast) : ''),
  ];
}

/** A button that removes the budget `b` of the customer in `row`, once confirmed. */
function removeButton(ctx, row, b) {
  const sub = b.budget.subscription;
  const button = h('button', { class: 'small', dataset: { removeBudget: row.customer_id, subscription: sub } }, t('usage.remove_budget'));
  button.addEventListener('click', async () => {
    const what = sub ? t('usage.remove_budget_sub', { name: row.name, subscription: sub }) : t('usage.remove_budget_all', { name: row.name });
    if (await confirmDialog(what, t('usage.remove_budget'))) await act(ctx, api.removeBudget(row.customer_id, sub));
  });
  return button;
}

export function renderPortfolio(card, o, ctx) {
  const body = h('tbody', { id: 'portfolio-rows' });
  for (const r of o.portfolio) {
    const b = r.budget;
    const setB = h('button', { class: 'small', dataset: { budget: r.customer_id } }, t('usage.set_budget'));
    setB.addEventListener('click', () => editBudget(ctx, r, ''));
    const chart = h('button', { class: 'small link', dataset: { chart: r.customer_id } }, t('usage.chart'));
    chart.addEventListener('click', () => ctx.showChart(r.customer_id, r.name));
    body.append(h('tr', { dataset: { customer: r.customer_id } },
      h('td', {}, h('a', { href: `#/customers/${r.customer_id}` }, r.name)),
      h('td', { class: 'num' }, money(r.month_to_date),
        // What credits paid besides: not spent, so not in the figure or the budget.
        r.credited ? h('div', { class: 'muted small', dataset: { credited: r.customer_id } }, t('usage.credited_mtd', { amount: money(r.credited) })) : ''),
      ...budgetCells(b),
      h('td', { class: 'num' }, b?.partner_center_amount ?? ''),
      h('td', { class: 'actions' }, chart, setB, b ? removeButton(ctx, r, b) : null)));
    // Each subscription's own budget under its customer: its spend, budget and forecast.
    for (const s of r.subscription_budgets) {
      const sub = s.budget.subscription;
      const edit = h('button', { class: 'small', dataset: { budget: r.customer_id, subscription: sub } }, t('usage.set_budget'));
      edit.addEventListener('click', () => editBudget(ctx, r, sub));
      body.append(h('tr', { class: 'sub-budget', dataset: { customer: r.customer_id, subscription: sub } },
        h('td', {}, h('span', { class: 'muted small' }, t('usage.subscription_label')), ' ', h('span', { class: 'mono small' }, sub)),
        h('td', { class: 'num' }, money(s.month_to_date)),
        ...budgetCells(s),
        h('td', {}),
        h('td', { class: 'actions' }, edit, removeButton(ctx, r, s))));
    }
  }
  if (!o.portfolio.length) body.append(h('tr', {}, h('td', { class: 'empty', colspan: 7 }, t('usage.no_usage'))));
  card.replaceChildren(h('h2', {}, t('usage.portfolio_title', { month: monthText(o.month) })),
    h('p', { class: 'muted' }, t('usage.portfolio_explain')),
    h('table', { class: 'grid', id: 'portfolio-table' }, h('thead', {}, h('tr', {},
      [t('customers.name'), t('usage.mtd'), t('usage.budget'), '%', t('usage.forecast'), t('usage.partner_center'), ''].map((c) => h('th', { class: c === t('customers.name') ? '' : 'num' }, c)))), body));
}

/**
 * The budget of the customer in `row` for every subscription (`subscription` empty) or for
 * one, set or changed; the dialog's choice of subscription shows that one's budget.
 */
async function editBudget(ctx, row, subscription) {
  const statusOf = (sub) => (sub ? row.subscription_budgets.find((s) => s.budget.subscription === sub) : row.budget) ?? null;
  const amount = h('input', { name: 'amount', id: 'budget-amount' });
  const thresholds = h('input', { name: 'thresholds', id: 'budget-thresholds' });
  // The usage's own currency unless the owner chooses another (usage is then converted).
  const currency = h('input', { name: 'currency', id: 'budget-currency', maxlength: '3', size: '4' });
  const show = (sub) => {
    const status = statusOf(sub);
    amount.value = status ? plainAmount(status.budget.amount) : '';
    thresholds.value = status ? status.budget.thresholds.join(',') : '50,80,100,150';
    currency.value = status ? status.budget.amount.currency : row.month_to_date.currency;
  };
  const subs = [...new Set([...row.subscriptions, ...row.subscription_budgets.map((s) => s.budget.subscription)])].sort();
  const pick = h('select', { name: 'subscription', id: 'budget-subscription' },
    h('option', { value: '' }, t('usage.all_subscriptions')),
    subs.map((s) => h('option', { value: s }, s)));
  pick.value = subscription;
  pick.addEventListener('change', () => show(pick.value));
  show(subscription);
  const v = await formDialog(t('usage.budget_title', { name: row.name }),
    h('div', {}, h('label', {}, t('usage.budget_for'), pick),
      h('label', {}, t('usage.budget_amount_plain'), amount),
      h('label', {}, t('usage.budget_currency'), currency),
      h('label', {}, t('usage.thresholds'), thresholds)), t('common.save'));
  if (!v) return;
  await act(ctx, api.setBudget({ customer_id: row.customer_id, subscription: v.subscription, amount: v.amount, thresholds: v.thresholds, currency: v.currency }));
}

/**
 * A customer's daily spend this month in `card`, with its budget and alerts.
 * @param {HTMLElement} card
 * @param {{ alive: () => boolean }} ctx whether the chart is still wanted when its data comes
 */
export async function showChart(card, ctx, id, name, marked) {
  let view;
  try {
    view = await api.customerUsage(id);
  } catch (e) {
    if (ctx.alive()) toast(errorText(e), 'error');
    return;
  }
  if (!ctx.alive()) return;
  card.hidden = false;
  clear(card);
  const flagged = new Map(view.alerts.filter((a) => !a.kind.startsWith('budget')).map((a) => [a.day, a]));
  card.append(h('div', { class: 'page-head' }, h('h2', {}, t('usage.chart_title', { name: name ?? '' })),
    view.budget ? h('span', { class: 'muted' }, t('usage.chart_budget', { mtd: money(view.budget.month_to_date), budget: money(view.budget.budget.amount), forecast: view.budget.forecast ? money(view.budget.forecast) : '—' })) : ''),
  chart(view.days, view.budget, flagged, marked),
  h('p', { class: 'muted' }, t('usage.chart_legend')),
  view.usage_currency && view.usage_currency !== view.invoice_currency
    ? h('p', { class: 'muted', id: 'usage-currency-note' }, t('usage.currency_note', { usage: view.usage_currency, invoice: view.invoice_currency ?? '' }),
      view.rates_used.length ? ` ${t('usage.rates_used', { rates: view.rates_used.map(([en, zh]) => (language() === 'zh-TW' ? zh : en)).join('; ') })}` : '')
    : '',
  view.unconverted.length
    ? h('p', { class: 'error', id: 'usage-unconverted' }, t('usage.unconverted', { amounts: listText(view.unconverted.map(money)) }))
    : '');
  card.scrollIntoView({ block: 'nearest' });
}

/**
 * Daily spend as bars (vector), the budget's daily pace (the monthly budget spread over
 * the month) as a line, and the days an alert starts on in red with a marker.
 */
function chart(days, budget, flagged, marked) {
  const W = 900; const H = 220; const pad = 30;
  const values = days.map((d) => d.spend.minor);
  const pace = budget ? budget.budget.amount.minor / 30.4 : 0;
  const max = Math.max(1, pace, ...values);
  const bw = (W - pad) / Math.max(1, days.length);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H + 20}`, class: 'usage-chart', role: 'img', 'aria-label': t('usage.chart_aria') });
  days.forEach((d, i) => {
    const v = d.spend.minor;
    const bh = Math.max(0, (v / max) * (H - 10));
    const alert = flagged.get(d.day);
    const bar = svg('rect', { x: pad + i * bw + 1, y: H - bh, width: Math.max(1, bw - 2), height: bh, class: alert ? 'bar flagged' : 'bar', 'data-day': d.day });
    bar.append(svg('title', {}, `${labelled(date(d.day), money(d.spend))}${alert ? ` — ${language() === 'zh-TW' ? alert.title_zh : alert.title_en}` : ''}`));
    root.append(bar);
    if (alert || d.day === marked) root.append(svg('text', { x: pad + i * bw + bw / 2, y: H - bh - 4, class: 'marker', 'text-anchor': 'middle' }, '▼'));
    if (i % 14 === 0) root.append(svg('text', { x: pad + i * bw, y: H + 15, class: 'axis' }, d.day.slice(5)));
  });
  if (pace) {
    const y = H - (pace / max) * (H - 10);
    root.append(svg('line', { x1: pad, x2: W, y1: y, y2: y, class: 'pace' }));
  }
  root.append(svg('line', { x1: pad, x2: W, y1: H, y2: H, class: 'axis-line' }));
  return root;
}

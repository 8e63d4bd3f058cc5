// Receivables: aging by bucket (table and bar chart), customers sortable by what they
// owe, and a customer's statement of account.

import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { date, labelled, money, paymentMethod, t } from '../i18n.js';
import { documentWritten, newestRead, reference, remember, remembered, toast } from '../shell.js';
import { importButton } from '../import.js';
import { errorText } from '../errors.js';


function bucketLabels(edges) {
  const [a, b, c] = edges;
  return [t('aging.current'), `1–${a}`, `${a + 1}–${b}`, `${b + 1}–${c}`, t('aging.over', { n: c })];
}

/** A statement line's description in the window's language (Rust's `description` is English). */
function entryText(e) {
  const due = e.due_on ? date(e.due_on) : '';
  if (e.kind === 'payment') return e.method ? t('statement.entry.payment_by', { method: paymentMethod(e.method) }) : t('statement.entry.payment');
  if (e.kind === 'write_off') return t('statement.entry.write_off', { reason: e.reason });
  if (e.kind === 'payment_returned') return t('statement.entry.payment_returned', { reason: t(`payment.reason.${e.reason}`) });
  if (e.kind === 'charges_credited') return t('statement.entry.charges_credited', { invoice: e.charge_invoice });
  return t(`statement.entry.${e.kind}`, { date: due });
}

export function mount(root) {
  // The buckets and the sort are kept for the session; the date is today's at each visit.
  const state = { asOf: reference.today, ...remembered('receivables.aging', { edges: [30, 60, 90], sort: 'overdue', descending: true }) };
  let alive = true;
  const read = newestRead();
  const asOf = h('input', { type: 'date', id: 'aging-as-of', value: state.asOf });
  const edges = h('input', { id: 'aging-edges', value: state.edges.join(', '), size: 10 });
  const refresh = h('button', { class: 'primary', id: 'aging-refresh' }, t('aging.refresh'));
  const totals = h('div', { id: 'aging-totals' });
  const table = h('table', { class: 'grid', id: 'aging-table' });
  const statement = h('div', { id: 'statement' });
  let data = null;

  function renderTotals() {
    clear(totals);
    const labels = bucketLabels(data.edges);
    for (const tot of data.totals) {
      const max = Math.max(1, ...tot.buckets);
      const chart = h('div', { class: 'bars' });
      tot.buckets.forEach((v, i) => {
        const bar = h('div', { class: `bar bucket-${i}` });
        bar.style.height = `${Math.round((v / max) * 100)}%`;
        chart.append(h('div', { class: 'bar-col' }, h('div', { class: 'bar-value' }, money({ minor: v, currency: tot.currency })), h('div', { class: 'bar-box' }, bar), h('div', { class: 'bar-label' }, labels[i])));
      });
      const dso = tot.dso_tenths == null ? '—' : t('aging.days', { n: (tot.dso_tenths / 10).toFixed(1) });
      totals.append(h('div', { class: 'card aging-total', dataset: { currency: tot.currency } },
        h('div', { class: 'page-head' }, h('h2', {}, `${t('aging.total')} ${tot.currency}`),
          h('div', { class: 'kpis' },
            h('span', {}, labelled(t('aging.receivable'), ''), h('strong', {}, money({ minor: tot.total_minor, currency: tot.currency }))),
            h('span', {}, labelled(t('aging.overdue'), ''), h('strong', { class: 'danger' }, money({ minor: tot.overdue_minor, currency: tot.currency }))),
            tot.credit_minor ? h('span', { class: 'aging-credit' }, labelled(t('aging.credit'), ''), h('strong', {}, money({ minor: tot.credit_minor, currency: tot.currency }))) : null,
            h('span', {}, labelled(t('aging.dso'), ''), h('strong', {}, dso)))),
        chart));
    }
    if (!data.totals.length) totals.append(h('p', { class: 'muted card' }, t('aging.nothing')));
  }

  function renderTable() {
    const labels = bucketLabels(data.edges);
    const cols = [['name', t('customers.name')], ...labels.map((l, i) => [`b${i}`, l]), ['total', t('aging.total')], ['overdue', t('aging.overdue')], ['oldest', t('aging.oldest')], ['credit', t('aging.credit')]];
    const head = h('tr', {}, cols.map(([key, label]) => {
      const arrow = state.sort === key ? (state.descending ? ' ▼' : ' ▲') : '';
      const b = h('button', { class: 'link', dataset: { sort: key } }, label + arrow);
      b.addEventListener('click', () => {
        state.descending = state.sort === key ? !state.descending : key !== 'name';
        state.sort = key;
        remember('receivables.aging', { edges: state.edges, sort: state.sort, descending: state.descending });
        renderTable();
      });
      return h('th', { class: key === 'name' ? '' : 'num' }, b);
    }));
    const value = (r, key) => key === 'name' ? r.legal_name : key === 'total' ? r.total_minor : key === 'overdue' ? r.overdue_minor : key === 'oldest' ? r.oldest_days_overdue : key === 'credit' ? r.credit_minor : r.buckets[Number(key.slice(1))];
    // Amounts compare only within a currency (¥500,000 is 500,000 minor units, $12,000 is
    // 1,200,000): a money column sorts by currency first, then by the amount.
    const byCurrency = !['name', 'oldest'].includes(state.sort);
    const rows = [...data.rows].sort((a, b) => {
      if (byCurrency && a.currency !== b.currency) return a.currency.localeCompare(b.currency);
      const x = value(a, state.sort); const y = value(b, state.sort);
      const c = typeof x === 'string' ? x.localeCompare(y) : x - y;
      return state.descending ? -c : c;
    });
    const body = h('tbody', { id: 'aging-rows' });
    for (const r of rows) {
      const m = (v) => (v ? money({ minor: v, currency: r.currency }) : '');
      const link = h('button', { class: 'link customer-link', dataset: { id: r.customer_id } }, r.legal_name);
      link.addEventListener('click', () => showStatement(r.customer_id, r.legal_name));
      body.append(h('tr', {}, h('td', {}, link), r.buckets.map((v) => h('td', { class: 'num' }, m(v))),
        h('td', { class: 'num' }, m(r.total_minor)), h('td', { class: 'num danger' }, m(r.overdue_minor)),
        h('td', { class: 'num' }, r.oldest_days_overdue ? t('aging.days', { n: r.oldest_days_overdue }) : ''),
        h('td', { class: 'num credit' }, m(r.credit_minor))));
    }
    table.replaceChildren(h('thead', {}, head), body);
  }

  async function showStatement(id, name) {
    const st = await api.statement(id, state.asOf);
    const m = (v) => (v ? money({ minor: v, currency: st.currency }) : '');
    const pdf = h('button', { id: 'statement-pdf' }, t('statement.pdf'));
    pdf.addEventListener('click', async () => {
      try {
        const path = await api.saveDocumentAs({ kind: 'statement', customer_id: id, as_of: state.asOf }, t('statement.pdf'));
        if (path) documentWritten(path);
      } catch (e) { toast(errorText(e), 'error'); }
    });
    statement.replaceChildren(h('div', { class: 'card' },
      h('div', { class: 'page-head' }, h('h2', {}, labelled(t('statement.title'), name)),
        h('div', { class: 'actions' }, h('a', { class: 'button', href: `#/customers/${id}` }, t('statement.customer')), pdf)),
      h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, [t('statement.date'), t('statement.document'), t('statement.description'), t('statement.debit'), t('statement.credit'), t('statement.balance')].map((x, i) => h('th', { class: i >= 3 ? 'num' : '' }, x)))),
        h('tbody', { id: 'statement-rows' }, st.lines.map((l) => h('tr', {}, h('td', { class: 'day' }, date(l.on)), h('td', {}, l.document), h('td', {}, entryText(l.entry)),
          h('td', { class: 'num' }, m(l.debit_minor)), h('td', { class: 'num' }, m(l.credit_minor)), h('td', { class: 'num' }, money({ minor: l.balance_minor, currency: st.currency }))))))));
    statement.scrollIntoView({ behavior: 'smooth' });
  }

  async function load() {
    const e = edges.value.split(',').map((x) => Number(x.trim()));
    if (e.length !== 3 || e.some((x) => !Number.isInteger(x))) return toast(t('aging.bad_edges'), 'error');
    state.asOf = asOf.value || reference.today;
    state.edges = e;
    remember('receivables.aging', { edges: state.edges, sort: state.sort, descending: state.descending });
    // The day or the edges changed again before the answer came: only the newest draws.
    const newest = read();
    let answer;
    try {
      answer = await api.aging(state.asOf, e);
    } catch (err) {
      if (newest()) toast(err.code === 'validation' ? t('aging.bad_edges') : errorText(err), 'error');
      return;
    }
    if (!alive || !newest()) return;
    data = answer;
    renderTotals();
    renderTable();
  }
  refresh.addEventListener('click', load);

  // Every open invoice of the day shown, aged by the edges shown, for the accountant's
  // spreadsheet (amounts with a decimal point, so they add up).
  const exportItems = h('button', { id: 'export-open-items' }, t('aging.export'));
  exportItems.addEventListener('click', async () => {
    exportItems.disabled = true;
    try {
      const path = await api.exportOpenItemsWithDialog(t('aging.export'), state.asOf, state.edges);
      if (path) documentWritten(path);
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      exportItems.disabled = false;
    }
  });

  const prepayBox = h('div', { id: 'prepayments' });
  async function loadPrepayments() {
    const list = await api.prepayments();
    if (!alive) return;
    prepayBox.replaceChildren(list.length ? h('div', { class: 'card' }, h('h2', {}, t('prepay.outstanding')),
      h('table', { class: 'grid' }, h('tbody', {}, list.map(([name, p]) => h('tr', {},
        h('td', {}, h('a', { href: `#/customers/${p.customer_id}` }, name)), h('td', {}, money(p.amount)),
        h('td', { class: p.due_on < reference.today ? 'warn' : '' }, date(p.due_on)), h('td', {}, p.note)))))) : '');
  }
  root.append(h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('nav.receivables')),
      h('div', { class: 'toolbar' }, h('label', {}, `${t('aging.as_of')} `, asOf), h('label', {}, `${t('aging.edges')} `, edges), refresh)),
    h('div', { class: 'card imports' }, h('p', { class: 'muted small' }, t('import.ledger_hint')),
      importButton('invoices', load), importButton('payments', load)),
    totals,
    prepayBox,
    h('div', { class: 'card' }, h('div', { class: 'page-head' }, h('h2', {}, t('aging.by_customer')), exportItems), table),
    statement));
  load();
  loadPrepayments().catch((e) => toast(errorText(e), 'error'));
  return () => { alive = false; };
}

// The customer list: search, filter by status, sort and page; all done by the store, so
// it stays fast with tens of thousands of customers.

import { api } from '../api.js';
import { clear, debounce, h } from '../dom.js';
import { country, money, number, t } from '../i18n.js';
import { documentWritten, newestRead, reference, remember, remembered, toast } from '../shell.js';
import { importButton } from '../import.js';
import { errorText } from '../errors.js';

const PAGE = 50;

export function statusBadge(status) {
  return h('span', { class: `badge status-${status}` }, t(`status.${status}`));
}

export function mount(root) {
  let alive = true;
  const read = newestRead();
  // Kept for the window's session, so going back to the list keeps its search and page.
  const query = remembered('customers.list', { search: '', status: null, sort: 'name', descending: false, offset: 0, limit: PAGE });
  const search = h('input', { type: 'search', id: 'customer-search', value: query.search, placeholder: t('customers.search') });
  const status = h('select', { id: 'status-filter' },
    h('option', { value: '' }, t('customers.all_statuses')),
    reference.statuses.map((s) => h('option', { value: s }, t(`status.${s}`))));
  status.value = query.status ?? '';
  const tbody = h('tbody', { id: 'customer-rows' });
  const summary = h('span', { class: 'muted', id: 'customer-count' });
  const prev = h('button', { id: 'page-prev' }, t('common.previous'));
  const next = h('button', { id: 'page-next' }, t('common.next'));

  const columns = [
    ['name', 'customers.name'],
    ['status', 'customers.status'],
    ['country', 'customers.country'],
    ['credit_limit', 'customers.credit_limit'],
    [null, 'customers.instrument'],
    [null, 'customers.checks'],
    [null, 'customers.subscriptions'],
  ];
  const headRow = h('tr');
  const renderHead = () => {
    clear(headRow);
    for (const [key, label] of columns) {
      const arrow = key && query.sort === key ? (query.descending ? ' ▼' : ' ▲') : '';
      const th = h('th', { scope: 'col' }, key
        ? h('button', { class: 'link', dataset: { sort: key } }, t(label) + arrow)
        : t(label));
      headRow.append(th);
    }
  };
  headRow.addEventListener('click', (e) => {
    const key = e.target.closest('button')?.dataset.sort;
    if (!key) return;
    query.descending = query.sort === key ? !query.descending : false;
    query.sort = key;
    query.offset = 0;
    load();
  });

  async function load() {
    remember('customers.list', query);
    renderHead();
    const newest = read();
    let page;
    try {
      page = await api.listCustomers({ ...query });
    } catch (e) {
      if (newest()) toast(errorText(e), 'error');
      return;
    }
    if (!alive || !newest()) return;
    clear(tbody);
    for (const r of page.rows) {
      const link = h('a', { href: `#/customers/${r.id}`, class: 'customer-name' }, r.legal_name);
      tbody.append(h('tr', { dataset: { id: r.id } },
        h('td', {}, link, r.primary_domain ? h('div', { class: 'muted small' }, r.primary_domain) : null),
        h('td', {}, statusBadge(r.status)),
        h('td', { title: country(r.country) }, r.country),
        h('td', { class: 'num' }, money(r.credit_limit)),
        h('td', {}, t(`instrument.${r.payment_instrument}`)),
        h('td', { class: r.checks_done < r.checks_total ? 'warn' : '' }, `${r.checks_done}/${r.checks_total}`),
        h('td', { class: 'num' }, number(r.active_subscriptions)),
      ));
    }
    if (!page.rows.length) {
      tbody.append(h('tr', {}, h('td', { colspan: columns.length, class: 'empty' },
        query.search || query.status ? t('customers.none_found') : t('customers.empty'))));
    }
    const from = page.total ? page.offset + 1 : 0;
    const to = page.offset + page.rows.length;
    summary.textContent = t('customers.range', { from: number(from), to: number(to), total: number(page.total) });
    prev.disabled = page.offset === 0;
    next.disabled = to >= page.total;
  }

  const reload = debounce(() => { query.offset = 0; load(); }, 200);
  search.addEventListener('input', () => { query.search = search.value; reload(); });
  status.addEventListener('change', () => { query.status = status.value || null; query.offset = 0; load(); });
  prev.addEventListener('click', () => { query.offset = Math.max(0, query.offset - PAGE); load(); });
  next.addEventListener('click', () => { query.offset += PAGE; load(); });

  // Every customer as the import's CSV, where the Save dialog says; Excel opens it with the
  // Chinese names intact and it imports back unchanged.
  const exportButton = h('button', { id: 'export-customers' }, t('customers.export'));
  exportButton.addEventListener('click', async () => {
    exportButton.disabled = true;
    try {
      const path = await api.exportCustomersWithDialog(t('customers.export'));
      if (path) documentWritten(path);
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      exportButton.disabled = false;
    }
  });

  root.append(
    h('section', { class: 'page' },
      h('div', { class: 'page-head' },
        h('h1', {}, t('nav.customers')),
        h('a', { href: '#/customers/new', class: 'button primary', id: 'new-customer' }, t('customers.new'))),
      h('div', { class: 'toolbar' }, search, status, summary, importButton('customers', () => load()), exportButton),
      h('table', { class: 'grid', id: 'customer-table' }, h('thead', {}, headRow), tbody),
      h('div', { class: 'pager' }, prev, next),
    ),
  );
  load();
  search.focus();
  return () => { alive = false; };
}

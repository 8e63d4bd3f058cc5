// Usage and alerts: import a Partner Center daily rated usage file or a FOCUS export (the
// OS open dialog; Rust reads it, with progress), then the cards of usage/: the alerts
// inbox, Microsoft's notices, abuse incidents, tenants to link to a customer, the month's
// spend per customer against its budget with a customer's daily chart, the activity log.

import { api, onEvent } from '../api.js';
import { h } from '../dom.js';
import { date, money, number, t } from '../i18n.js';
import { newestRead, refreshAlertCount, remembered, toast } from '../shell.js';
import { errorText, problemList } from '../errors.js';
import { customerPicker } from '../customer-picker.js';
import { renderAlerts } from './usage/alerts.js';
import { renderNotices } from './usage/notices.js';
import { renderActivity } from './usage/activity.js';
import { renderIncidents } from './usage/incidents.js';
import { renderPortfolio, renderTenants, showChart } from './usage/portfolio.js';

/** What a FOCUS file's purchase rows (reservations, Marketplace) bill each customer: not
 * usage, in no budget, but told, so that a large one is seen. */
function purchaseLines(purchases) {
  return (purchases ?? []).map((p) => {
    const name = p.customer_id
      ? h('a', { href: `#/customers/${p.customer_id}` }, p.name || p.tenant_id)
      : (p.name || p.tenant_id);
    return h('div', { class: 'usage-purchase' },
      t('usage.purchases', { rows: number(p.rows), amount: money(p.amount) }), ' ', name);
  });
}

export function mount(root) {
  const state = { chartFor: null, ...remembered('usage.alerts', { showResolved: false }) };
  let alive = true;
  const read = newestRead();
  const readChart = newestRead();
  const head = h('div', { class: 'page-head' });
  const importCard = h('div', { class: 'card', id: 'usage-import' });
  const alertsCard = h('div', { class: 'card', id: 'alerts' });
  const noticesCard = h('div', { class: 'card', id: 'notices' });
  const tenantsCard = h('div', { class: 'card', id: 'usage-tenants' });
  const activityCard = h('div', { class: 'card', id: 'activity' });
  const incidentsCard = h('div', { class: 'card', id: 'incidents' });
  const portfolioCard = h('div', { class: 'card', id: 'usage-portfolio' });
  const chartCard = h('div', { class: 'card', id: 'usage-chart', hidden: true });
  root.append(head, importCard, alertsCard, noticesCard, incidentsCard, tenantsCard, portfolioCard, chartCard, activityCard);
  // What the cards share: the page's state, reading it again, and the chart.
  const ctx = {
    state,
    reload: () => load(),
    alive: () => alive,
    showChart: (id, name, marked) => {
      state.chartFor = { id, name };
      // Two customers clicked in turn: the chart drawn is the second's, whichever answers last.
      const newest = readChart();
      return showChart(chartCard, { alive: () => alive && newest() }, id, name, marked);
    },
  };

  async function load() {
    let overview;
    let alerts;
    let notices;
    let activity;
    let incidents;
    // Read again after every import, save and filter: an earlier read must not draw last.
    const newest = read();
    try {
      [overview, alerts, notices, activity, incidents] = await Promise.all([api.usageOverview(), api.usageAlerts(state.showResolved, null), api.notices(), api.activityLog(50), api.incidents()]);
    } catch (e) {
      if (newest()) toast(errorText(e), 'error');
      return;
    }
    if (!alive || !newest()) return;
    head.replaceChildren(h('h1', {}, t('usage.title')),
      h('span', { class: 'muted', id: 'usage-as-of' }, t('usage.as_of', { day: date(overview.as_of) })));
    renderAlerts(alertsCard, alerts, ctx);
    renderNotices(noticesCard, notices, ctx);
    renderActivity(activityCard, activity, ctx);
    renderIncidents(incidentsCard, incidents, ctx);
    renderTenants(tenantsCard, overview.tenants.filter((x) => x.customer_id == null), ctx);
    renderPortfolio(portfolioCard, overview, ctx);
    refreshAlertCount(overview.open_alerts);
    if (state.chartFor) ctx.showChart(state.chartFor.id, state.chartFor.name);
  }

  // The import: a button, a progress bar in bytes, the rows read, then what changed.
  const button = h('button', { class: 'primary', id: 'import-usage' }, t('usage.import'));
  const format = h('select', { id: 'usage-format' },
    ['auto', 'partner-center', 'focus'].map((f) => h('option', { value: f }, t(`usage.format.${f}`))));
  // Whose the file is: the customers it names (Partner Center, a partner's FOCUS export),
  // or one customer chosen for a FOCUS export of its own, which names none.
  const picker = customerPicker({ id: 'usage-whose', empty: t('usage.whose_named') });
  const whose = picker.select;
  picker.load().catch((e) => toast(errorText(e), 'error'));
  const status = h('div', { class: 'import-status', id: 'import-usage-status' });
  importCard.append(h('h2', {}, t('usage.import_title')), h('p', { class: 'muted' }, t('usage.import_explain')),
    h('div', { class: 'toolbar' }, button, format, h('label', {}, `${t('usage.whose')} `, picker.element)),
    h('p', { class: 'muted small' }, t('usage.whose_hint')), status);
  button.addEventListener('click', async () => {
    const bar = h('progress', { max: 1, value: 0, id: 'usage-progress' });
    const rows = h('span', { class: 'muted', id: 'usage-rows' });
    const unlisten = await onEvent('import-progress', (p) => {
      if (p.kind === 'usage') {
        if (!status.contains(bar)) status.replaceChildren(bar, ' ', rows);
        bar.max = p.total || 1;
        bar.value = p.done;
      } else if (p.kind === 'usage-rows') {
        rows.textContent = t('usage.rows_read', { rows: number(p.done) });
      }
    });
    button.disabled = true;
    try {
      const r = await api.importUsage(format.value, whose.value ? Number(whose.value) : null, t('usage.import'));
      if (r) {
        // The parts of one export chosen together: the first named, the others counted.
        const file = r.files.length > 1 ? t('import.parts', { file: r.files[0], n: number(r.files.length - 1) }) : r.file;
        const text = r.days_added + r.days_replaced === 0 && !r.purchase_alerts && !r.purchase_days_changed
          ? t('usage.nothing_changed', { file, rows: number(r.rows) })
          : t('usage.imported', { file, rows: number(r.rows), added: number(r.days_added), replaced: number(r.days_replaced), unchanged: number(r.days_unchanged) });
        status.replaceChildren(h('span', { id: 'usage-import-result' }, text),
          r.days_kept_billed ? h('div', { class: 'muted' }, t('usage.kept_billed', { n: number(r.days_kept_billed) })) : '',
          r.earlier_charges ? h('div', { class: 'muted', id: 'usage-earlier-charges' }, t('usage.earlier_charges', { n: number(r.earlier_charges) })) : '',
          r.no_customer ? h('div', { class: 'muted', id: 'usage-no-customer' }, t('usage.no_customer', { n: number(r.no_customer) })) : '',
          r.taxes ? h('div', { class: 'muted', id: 'usage-taxes' }, t('usage.taxes', { n: number(r.taxes) })) : '',
          r.credited_rows ? h('div', { class: 'muted', id: 'usage-credited' }, t('usage.credited', { n: number(r.credited_rows) })) : '',
          ...purchaseLines(r.purchases),
          h('div', { class: 'muted' }, t('usage.new_alerts', { n: number(r.evaluation.new_alerts + (r.purchase_alerts ?? 0)) })));
        load();
      } else {
        status.replaceChildren();
      }
    } catch (e) {
      status.replaceChildren(problemList(e, 'usage-import-error'));
      toast(t('import.failed'), 'error');
    } finally {
      button.disabled = false;
      unlisten();
    }
  });

  load();
  return () => { alive = false; };
}

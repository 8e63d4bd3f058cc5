// Usage and alerts: import a Partner Center daily rated usage file or a FOCUS export (the
// OS open dialog; Rust reads it, with progress), the alerts inbox (most severe and newest
// first; acknowledge, resolve with a note), tenants to link to a customer, and the month's
// spend per customer against its budget, with a customer's daily chart.

import { api, onEvent } from '../api.js';
import { clear, h, svg } from '../dom.js';
import { date, language, money, number, plainAmount, t, timestamp } from '../i18n.js';
import { refreshAlertCount, toast } from '../shell.js';
import { formDialog } from '../dialog.js';
import { errorText, problemList } from '../errors.js';

const state = { showResolved: false, chartFor: null };

/** The alert's text in the window's language. */
function tr(evidence, key) {
  return evidence?.[`${key}_${language() === 'zh-TW' ? 'zh' : 'en'}`] ?? '';
}

export function mount(root) {
  let alive = true;
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
  let customers = [];

  async function load() {
    let overview;
    let alerts;
    let notices;
    let activity;
    let incidents;
    try {
      [overview, alerts, notices, activity, incidents] = await Promise.all([api.usageOverview(), api.usageAlerts(state.showResolved, null), api.notices(), api.activityLog(50), api.incidents()]);
      if (!customers.length) {
        const page = await api.listCustomers({ search: '', status: null, sort: 'name', descending: false, offset: 0, limit: 500 });
        customers = page.rows;
      }
    } catch (e) {
      toast(errorText(e), 'error');
      return;
    }
    if (!alive) return;
    head.replaceChildren(h('h1', {}, t('usage.title')),
      h('span', { class: 'muted', id: 'usage-as-of' }, t('usage.as_of', { day: date(overview.as_of) })));
    renderAlerts(alerts);
    renderNotices(notices);
    renderActivity(activity);
    renderIncidents(incidents);
    renderTenants(overview.tenants.filter((x) => x.customer_id == null));
    renderPortfolio(overview);
    refreshAlertCount(overview.open_alerts);
    if (state.chartFor) showChart(state.chartFor.id, state.chartFor.name);
  }

  // The import: a button, a progress bar in bytes, the rows read, then what changed.
  const button = h('button', { class: 'primary', id: 'import-usage' }, t('usage.import'));
  const format = h('select', { id: 'usage-format' },
    ['auto', 'partner-center', 'focus'].map((f) => h('option', { value: f }, t(`usage.format.${f}`))));
  const status = h('div', { class: 'import-status', id: 'import-usage-status' });
  importCard.append(h('h2', {}, t('usage.import_title')), h('p', { class: 'muted' }, t('usage.import_explain')),
    h('div', { class: 'toolbar' }, button, format), status);
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
      const r = await api.importUsage(format.value, t('usage.import'));
      if (r) {
        const text = r.days_added + r.days_replaced === 0
          ? t('usage.nothing_changed', { file: r.file, rows: number(r.rows) })
          : t('usage.imported', { file: r.file, rows: number(r.rows), added: number(r.days_added), replaced: number(r.days_replaced), unchanged: number(r.days_unchanged) });
        status.replaceChildren(h('span', { id: 'usage-import-result' }, text),
          r.days_kept_billed ? h('div', { class: 'muted' }, t('usage.kept_billed', { n: number(r.days_kept_billed) })) : '',
          h('div', { class: 'muted' }, t('usage.new_alerts', { n: number(r.evaluation.new_alerts) })));
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

  function renderAlerts(alerts) {
    const toggle = h('label', { class: 'muted' }, h('input', { type: 'checkbox', id: 'alerts-resolved', checked: state.showResolved }), ' ', t('alerts.show_resolved'));
    toggle.querySelector('input').addEventListener('change', (e) => {
      state.showResolved = /** @type {HTMLInputElement} */ (e.target).checked;
      load();
    });
    const body = h('tbody', { id: 'alert-rows' });
    for (const a of alerts) {
      const ack = h('button', { class: 'small', dataset: { ack: a.id } }, t('alerts.ack'));
      const resolve = h('button', { class: 'small', dataset: { resolve: a.id } }, t('alerts.resolve'));
      ack.addEventListener('click', () => setStatus(a, 'acknowledged', ''));
      resolve.addEventListener('click', async () => {
        const note = h('textarea', { name: 'note', rows: 3, cols: 50, id: 'alert-note' });
        const v = await formDialog(t('alerts.resolve_title'), h('label', {}, t('alerts.resolve_note'), note), t('alerts.resolve'),
          (vals) => (vals.note.trim() ? null : t('alerts.note_required')));
        if (v) setStatus(a, 'resolved', v.note);
      });
      const who = a.customer_id == null ? '' : h('a', { href: `#/customers/${a.customer_id}` }, a.customer_name ?? '');
      const chart = h('button', { class: 'small link' }, t('usage.chart'));
      chart.addEventListener('click', () => showChart(a.customer_id, a.customer_name, a.day));
      const incident = h('button', { class: 'small', dataset: { incident: a.id } }, t('incidents.open'));
      incident.addEventListener('click', () => openIncident(a.customer_id, ['alert', a.id], language() === 'zh-TW' ? a.title_zh : a.title_en));
      body.append(h('tr', { class: `alert status-${a.status}`, dataset: { kind: a.kind, day: a.day } },
        h('td', {}, h('span', { class: `badge level-${a.severity}` }, t(`alerts.severity.${a.severity}`))),
        h('td', {}, date(a.day)),
        h('td', {}, who),
        h('td', {}, h('strong', {}, language() === 'zh-TW' ? a.title_zh : a.title_en),
          h('div', { class: 'explain' }, tr(a.evidence, 'explain')),
          h('div', { class: 'muted' }, `${t('alerts.risk')}: ${tr(a.evidence, 'risk')}`),
          h('div', {}, `${t('alerts.action')}: ${tr(a.evidence, 'action')}`),
          a.note ? h('div', { class: 'muted' }, `${t('common.note')}: ${a.note}`) : ''),
        h('td', {}, t(`alerts.status.${a.status}`)),
        h('td', { class: 'actions' }, a.customer_id ? chart : '', a.status === 'open' ? ack : '', a.status !== 'resolved' ? resolve : '', a.customer_id ? incident : '')));
    }
    if (!alerts.length) body.append(h('tr', {}, h('td', { class: 'empty', colspan: 6 }, t('alerts.none'))));
    alertsCard.replaceChildren(h('div', { class: 'page-head' }, h('h2', {}, t('alerts.title')), toggle),
      h('table', { class: 'grid', id: 'alerts-table' }, h('thead', {}, h('tr', {},
        [t('alerts.level'), t('alerts.day'), t('customers.name'), t('alerts.finding'), t('customers.status'), ''].map((x) => h('th', {}, x)))), body));
  }

  function renderNotices(notices) {
    const importN = h('button', { id: 'import-notices' }, t('notices.import'));
    const addN = h('button', { id: 'add-notice' }, t('notices.add'));
    const result = h('div', { class: 'import-status', id: 'notices-status' });
    importN.addEventListener('click', async () => {
      try {
        const r = await api.importNotices(t('notices.import'));
        if (r) result.replaceChildren(t('notices.imported', { added: number(r.added), unchanged: number(r.unchanged) }));
        if (r) load();
      } catch (e) {
        result.replaceChildren(problemList(e));
      }
    });
    addN.addEventListener('click', () => recordNotice());
    const body = h('tbody', { id: 'notice-rows' });
    for (const n of notices) {
      const next = h('button', { class: 'small', dataset: { step: n.id } }, t('notices.step'));
      next.addEventListener('click', () => stepNotice(n));
      const claim = h('button', { class: 'small', dataset: { claim: n.id } }, t('notices.claim'));
      claim.addEventListener('click', () => claimNotice(n));
      const incident = h('button', { class: 'small', dataset: { incident: n.id } }, t('incidents.open'));
      incident.addEventListener('click', () => openIncident(n.customer_id, ['notice', n.id], n.title));
      const late = n.respond_overdue ? t('notices.respond_overdue') : n.mitigate_overdue ? t('notices.mitigate_overdue') : '';
      const resolved = n.status.startsWith('resolved');
      body.append(h('tr', { class: late ? 'overdue' : '', dataset: { notice: n.id, status: n.status } },
        h('td', {}, timestamp(n.received_at)),
        h('td', {}, n.customer_id ? h('a', { href: `#/customers/${n.customer_id}` }, n.customer_name ?? '') : h('span', { class: 'mono' }, n.tenant_id)),
        h('td', {}, t(`notices.kind.${n.kind}`)),
        h('td', {}, h('strong', {}, n.title), h('div', { class: 'muted' }, n.body),
          n.resources.length ? h('div', { class: 'mono' }, n.resources.join(' ')) : ''),
        h('td', {}, t(`notices.status.${n.status}`),
          h('div', { class: 'muted' }, n.steps.map((st) => `${timestamp(st.at)} ${st.who}: ${t(`notices.status.${st.status}`)}${st.note ? ` — ${st.note}` : ''}`).join('\n'))),
        h('td', {}, resolved ? '' : h('div', {}, `${t('notices.respond_by')}: ${timestamp(n.respond_by)}`),
          resolved ? '' : h('div', {}, `${t('notices.mitigate_by')}: ${timestamp(n.mitigate_by)}`),
          late ? h('strong', { class: 'danger' }, late) : '',
          n.claim_by ? h('div', { class: n.claim_filed_on ? 'muted' : 'danger' }, n.claim_filed_on ? t('notices.claimed', { day: date(n.claim_filed_on) }) : t('notices.claim_by', { day: date(n.claim_by) })) : ''),
        h('td', { class: 'actions' }, resolved ? '' : next, n.status === 'resolved_fraud' && !n.claim_filed_on && !n.claimed_for_tenant ? claim : '', n.customer_id ? incident : '')));
    }
    if (!notices.length) body.append(h('tr', {}, h('td', { class: 'empty', colspan: 7 }, t('notices.none'))));
    noticesCard.replaceChildren(h('div', { class: 'page-head' }, h('h2', {}, t('notices.title')), h('div', { class: 'toolbar' }, importN, addN)),
      h('p', { class: 'muted' }, t('notices.explain')), result,
      h('table', { class: 'grid', id: 'notices-table' }, h('thead', {}, h('tr', {},
        [t('notices.received'), t('customers.name'), t('notices.kind'), t('notices.notice'), t('customers.status'), t('notices.deadlines'), ''].map((c) => h('th', {}, c)))), body));
  }

  function renderActivity(records) {
    const importA = h('button', { id: 'import-activity' }, t('activity.import'));
    const result = h('div', { class: 'import-status', id: 'activity-status' });
    importA.addEventListener('click', async () => {
      try {
        const r = await api.importActivity(t('activity.import'));
        if (r) {
          result.replaceChildren(t('activity.imported', { added: number(r.added), unchanged: number(r.unchanged) }));
          load();
        }
      } catch (e) {
        result.replaceChildren(problemList(e));
      }
    });
    const body = h('tbody', { id: 'activity-rows' });
    for (const a of records) {
      body.append(h('tr', {}, h('td', {}, timestamp(a.at)),
        h('td', {}, a.customer_id ? h('a', { href: `#/customers/${a.customer_id}` }, a.customer_name) : a.customer_name),
        h('td', { class: 'mono' }, a.operation), h('td', {}, a.who)));
    }
    if (!records.length) body.append(h('tr', {}, h('td', { class: 'empty', colspan: 4 }, t('activity.none'))));
    activityCard.replaceChildren(h('div', { class: 'page-head' }, h('h2', {}, t('activity.title')), importA),
      h('p', { class: 'muted' }, t('activity.explain')), result,
      h('table', { class: 'grid', id: 'activity-table' }, h('thead', {}, h('tr', {},
        [t('activity.at'), t('customers.name'), t('activity.operation'), t('activity.who')].map((c) => h('th', {}, c)))), body));
  }

  const CATEGORIES = ['spam', 'hacking', 'ddos', 'crypto_mining', 'malware', 'reselling_stolen', 'other'];

  async function openIncident(customerId, link, title) {
    const category = h('select', { name: 'category', id: 'i-category' }, CATEGORIES.map((c) => h('option', { value: c }, t(`incidents.category.${c}`))));
    const v = await formDialog(t('incidents.open_title'), h('div', {},
      h('label', {}, t('incidents.category'), category),
      h('label', {}, t('incidents.summary'), h('textarea', { name: 'summary', id: 'i-summary', rows: 3, cols: 50 }, title ?? ''))), t('common.save'),
    (vals) => (vals.summary.trim() ? null : t('incidents.summary_required')));
    if (!v) return;
    try {
      await api.openIncident({ customer_id: customerId, category: v.category, summary: v.summary, links: link ? [link] : [] });
      load();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  function renderIncidents(list) {
    const body = h('tbody', { id: 'incident-rows' });
    for (const i of list) {
      const open = !i.closed_at;
      const suspend = h('button', { class: 'small', dataset: { suspend: i.id } }, t('incidents.action.suspend_subscription'));
      suspend.addEventListener('click', () => suspendFor(i));
      const restrict = h('button', { class: 'small', dataset: { restrict: i.id } }, t('incidents.action.restrict_admin'));
      restrict.addEventListener('click', () => incidentAction(i, 'restrict_admin', null, false));
      const contact = h('button', { class: 'small', dataset: { contact: i.id } }, t('incidents.action.contact_customer'));
      contact.addEventListener('click', () => incidentAction(i, 'contact_customer', null, true));
      const close = h('button', { class: 'small', dataset: { close: i.id } }, t('incidents.close'));
      close.addEventListener('click', async () => {
        const v = await formDialog(t('incidents.close'), h('label', {}, t('incidents.closing_note'), h('textarea', { name: 'note', id: 'i-close-note', rows: 3, cols: 50 })), t('common.save'),
          (vals) => (vals.note.trim() ? null : t('incidents.note_required')));
        if (!v) return;
        try {
          await api.closeIncident(i.id, v.note);
          load();
        } catch (e) {
          toast(errorText(e), 'error');
        }
      });
      body.append(h('tr', { dataset: { incident: i.id, state: open ? 'open' : 'closed' } },
        h('td', {}, timestamp(i.opened_at)),
        h('td', {}, h('a', { href: `#/customers/${i.customer_id}` }, i.customer_name)),
        h('td', {}, t(`incidents.category.${i.category}`)),
        h('td', {}, i.summary,
          i.links.length ? h('div', { class: 'muted' }, i.links.map(([k, id]) => `${t(`incidents.link.${k}`)} #${id}`).join(', ')) : '',
          i.actions.map((a) => h('div', { class: 'muted' }, `${timestamp(a.at)} ${a.who}: ${t(`incidents.action.${a.action}`)}${a.note ? ` — ${a.note}` : ''}`)),
          i.closed_at ? h('div', {}, `${t('incidents.closed')}: ${i.closing_note}`) : ''),
        h('td', { class: 'actions' }, open ? [suspend, restrict, contact, close] : '')));
    }
    if (!list.length) body.append(h('tr', {}, h('td', { class: 'empty', colspan: 5 }, t('incidents.none'))));
    incidentsCard.replaceChildren(h('h2', {}, t('incidents.title')), h('p', { class: 'muted' }, t('incidents.explain')),
      h('table', { class: 'grid', id: 'incidents-table' }, h('thead', {}, h('tr', {},
        [t('incidents.opened'), t('customers.name'), t('incidents.category'), t('incidents.summary'), ''].map((c) => h('th', {}, c)))), body));
  }

  async function suspendFor(i) {
    let detail;
    try {
      detail = await api.getCustomer(i.customer_id);
    } catch (e) {
      toast(errorText(e), 'error');
      return;
    }
    const active = detail.subscriptions.filter((s) => s.status === 'active');
    if (!active.length) {
      toast(t('incidents.no_active_subscription'), 'error');
      return;
    }
    const pick = h('select', { name: 'subscription', id: 'i-subscription' }, active.map((s) => h('option', { value: String(s.id) }, `${s.offer} ${s.pc_subscription_id}`)));
    const v = await formDialog(t('incidents.action.suspend_subscription'), h('div', {},
      h('label', {}, t('notices.subscription'), pick),
      h('label', {}, t('common.note'), h('textarea', { name: 'note', id: 'i-note', rows: 3, cols: 50 }))), t('common.save'));
    if (!v) return;
    try {
      await api.incidentAction(i.id, 'suspend_subscription', Number(v.subscription), v.note);
      load();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  async function incidentAction(i, action, subscriptionId, needsNote) {
    const v = await formDialog(t(`incidents.action.${action}`), h('label', {}, t('common.note'), h('textarea', { name: 'note', id: 'i-note', rows: 3, cols: 50 })), t('common.save'),
      (vals) => (needsNote && !vals.note.trim() ? t('incidents.note_required') : null));
    if (!v) return;
    try {
      await api.incidentAction(i.id, action, subscriptionId, v.note);
      load();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  async function recordNotice() {
    const kind = h('select', { name: 'kind', id: 'n-kind' }, ['acceptable_use', 'fraud_alert', 'crypto_mining', 'suspension', 'other'].map((k) => h('option', { value: k }, t(`notices.kind.${k}`))));
    const who = h('select', { name: 'customer', id: 'n-customer' }, h('option', { value: '' }, t('usage.choose_customer')), customers.map((c) => h('option', { value: String(c.id) }, c.legal_name)));
    const v = await formDialog(t('notices.add'), h('div', {},
      h('label', {}, t('notices.kind'), kind),
      h('label', {}, t('customers.name'), who),
      h('label', {}, t('notices.title_field'), h('input', { name: 'title', id: 'n-title', size: 50 })),
      h('label', {}, t('notices.subscription'), h('input', { name: 'subscription', id: 'n-subscription', size: 40 })),
      h('label', {}, t('notices.received_at'), h('input', { name: 'received_at', id: 'n-received', placeholder: '2026-11-26T08:30:00Z', size: 24 })),
      h('label', {}, t('notices.text'), h('textarea', { name: 'text', id: 'n-text', rows: 4, cols: 50 }))), t('common.save'),
    (vals) => (vals.title.trim() ? null : t('notices.title_required')));
    if (!v) return;
    try {
      await api.addNotice({ kind: v.kind, title: v.title, customer_id: v.customer ? Number(v.customer) : null, subscription: v.subscription, received_at: v.received_at, text: v.text });
      load();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  async function stepNotice(n) {
    const steps = ['investigating', 'action_taken', 'responded', 'resolved_legitimate', 'resolved_fraud', 'resolved_ignored'];
    const status = h('select', { name: 'status', id: 'n-status' }, steps.map((k) => h('option', { value: k }, t(`notices.status.${k}`))));
    const v = await formDialog(t('notices.step_title', { title: n.title }), h('div', {},
      h('label', {}, t('customers.status'), status),
      h('label', {}, t('common.note'), h('textarea', { name: 'note', id: 'n-note', rows: 3, cols: 50 })),
      h('label', {}, t('notices.fraud_from'), h('input', { type: 'date', name: 'fraud_from', id: 'n-fraud-from' }))), t('common.save'),
    (vals) => (vals.status.startsWith('resolved') && !vals.note.trim() ? t('notices.note_required') : null));
    if (!v) return;
    try {
      await api.setNoticeStatus(n.id, v.status, v.note, v.fraud_from);
      load();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  async function claimNotice(n) {
    const v = await formDialog(t('notices.claim'), h('label', {}, t('notices.claim_on'), h('input', { type: 'date', name: 'on', id: 'n-claim-on' })), t('common.save'));
    if (!v) return;
    try {
      await api.noticeClaimFiled(n.id, v.on);
      load();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  async function setStatus(a, status, note) {
    try {
      await api.setAlert(a.id, status, note);
      load();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  function renderTenants(unlinked) {
    tenantsCard.hidden = unlinked.length === 0;
    const body = h('tbody', { id: 'tenant-rows' });
    for (const x of unlinked) {
      const pick = h('select', { dataset: { tenant: x.tenant_id } }, h('option', { value: '' }, t('usage.choose_customer')),
        customers.map((c) => h('option', { value: String(c.id) }, c.legal_name)));
      const link = h('button', { class: 'small' }, t('usage.link'));
      link.addEventListener('click', async () => {
        if (!pick.value) return;
        try {
          await api.linkTenant(x.tenant_id, Number(pick.value));
          load();
        } catch (e) {
          toast(errorText(e), 'error');
        }
      });
      const q = new URLSearchParams({ name: x.name, tenant: x.tenant_id, domain: x.domain });
      const create = h('a', { href: `#/customers/new?${q}`, class: 'small', dataset: { create: x.tenant_id } }, t('usage.create_customer'));
      body.append(h('tr', {}, h('td', {}, x.name), h('td', {}, x.domain), h('td', { class: 'mono' }, x.tenant_id),
        h('td', { class: 'num' }, number(x.days)), h('td', {}, pick, ' ', link, ' ', create)));
    }
    tenantsCard.replaceChildren(h('h2', {}, t('usage.tenants_title')), h('p', { class: 'muted' }, t('usage.tenants_explain')),
      h('table', { class: 'grid' }, h('thead', {}, h('tr', {},
        [t('usage.tenant_name'), t('field.primary_domain'), t('field.tenant_id'), t('usage.days'), ''].map((c) => h('th', {}, c)))), body));
  }

  function renderPortfolio(o) {
    const body = h('tbody', { id: 'portfolio-rows' });
    for (const r of o.portfolio) {
      const b = r.budget;
      const setB = h('button', { class: 'small', dataset: { budget: r.customer_id } }, t('usage.set_budget'));
      setB.addEventListener('click', () => editBudget(r, b));
      const chart = h('button', { class: 'small link', dataset: { chart: r.customer_id } }, t('usage.chart'));
      chart.addEventListener('click', () => showChart(r.customer_id, r.name));
      const over = b && b.percent >= 100;
      body.append(h('tr', { dataset: { customer: r.customer_id } },
        h('td', {}, h('a', { href: `#/customers/${r.customer_id}` }, r.name)),
        h('td', { class: 'num' }, money(r.month_to_date)),
        h('td', { class: 'num' }, b ? money(b.budget.amount) : '—'),
        h('td', { class: `num ${over ? 'danger' : ''}` }, b ? `${b.percent}%` : ''),
        h('td', { class: 'num' }, b?.forecast ? money(b.forecast) : ''),
        h('td', { class: 'num' }, b?.partner_center_amount ?? ''),
        h('td', { class: 'actions' }, chart, setB)));
    }
    if (!o.portfolio.length) body.append(h('tr', {}, h('td', { class: 'empty', colspan: 7 }, t('usage.no_usage'))));
    portfolioCard.replaceChildren(h('h2', {}, t('usage.portfolio_title', { month: o.month })),
      h('p', { class: 'muted' }, t('usage.portfolio_explain')),
      h('table', { class: 'grid', id: 'portfolio-table' }, h('thead', {}, h('tr', {},
        [t('customers.name'), t('usage.mtd'), t('usage.budget'), '%', t('usage.forecast'), t('usage.partner_center'), ''].map((c) => h('th', { class: c === t('customers.name') ? '' : 'num' }, c)))), body));
  }

  async function editBudget(row, status) {
    const amount = h('input', { name: 'amount', id: 'budget-amount', value: status ? plainAmount(status.budget.amount) : '' });
    const thresholds = h('input', { name: 'thresholds', id: 'budget-thresholds', value: status ? status.budget.thresholds.join(',') : '50,80,100,150' });
    // The usage's own currency unless the owner chooses another (usage is then converted).
    const currency = h('input', { name: 'currency', id: 'budget-currency', maxlength: '3', size: '4', value: status ? status.budget.amount.currency : row.month_to_date.currency });
    const v = await formDialog(t('usage.budget_title', { name: row.name }),
      h('div', {}, h('label', {}, t('usage.budget_amount_plain'), amount),
        h('label', {}, t('usage.budget_currency'), currency),
        h('label', {}, t('usage.thresholds'), thresholds)), t('common.save'));
    if (!v) return;
    try {
      await api.setBudget({ customer_id: row.customer_id, subscription: '', amount: v.amount, thresholds: v.thresholds, currency: v.currency });
      load();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  async function showChart(id, name, marked) {
    state.chartFor = { id, name };
    let view;
    try {
      view = await api.customerUsage(id);
    } catch (e) {
      toast(errorText(e), 'error');
      return;
    }
    if (!alive) return;
    chartCard.hidden = false;
    clear(chartCard);
    const flagged = new Map(view.alerts.filter((a) => !a.kind.startsWith('budget')).map((a) => [a.day, a]));
    chartCard.append(h('div', { class: 'page-head' }, h('h2', {}, t('usage.chart_title', { name: name ?? '' })),
      view.budget ? h('span', { class: 'muted' }, t('usage.chart_budget', { mtd: money(view.budget.month_to_date), budget: money(view.budget.budget.amount), forecast: view.budget.forecast ? money(view.budget.forecast) : '—' })) : ''),
    chart(view.days, view.budget, flagged, marked),
    h('p', { class: 'muted' }, t('usage.chart_legend')),
    view.usage_currency && view.usage_currency !== view.invoice_currency
      ? h('p', { class: 'muted', id: 'usage-currency-note' }, t('usage.currency_note', { usage: view.usage_currency, invoice: view.invoice_currency ?? '' }),
        view.rates_used.length ? ` ${t('usage.rates_used', { rates: view.rates_used.map(([en, zh]) => (language() === 'zh-TW' ? zh : en)).join('; ') })}` : '')
      : '',
    view.unconverted.length
      ? h('p', { class: 'error', id: 'usage-unconverted' }, t('usage.unconverted', { amounts: view.unconverted.map(money).join(', ') }))
      : '');
    chartCard.scrollIntoView({ block: 'nearest' });
  }

  load();
  return () => { alive = false; };
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
    bar.append(svg('title', {}, `${date(d.day)}: ${money(d.spend)}${alert ? ` — ${language() === 'zh-TW' ? alert.title_zh : alert.title_en}` : ''}`));
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

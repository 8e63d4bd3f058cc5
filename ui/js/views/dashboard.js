// The dashboard, the first view: customers by risk level, the risks to work on first with
// their main reasons, and what needs action today (open alerts, Microsoft notices past
// their deadline), each one click from its evidence.

import { api } from '../api.js';
import { h } from '../dom.js';
import { language, number, t } from '../i18n.js';
import { toast } from '../app.js';

const LEVELS = ['critical', 'high', 'medium', 'low'];

export function mount(root) {
  let alive = true;
  const card = (id, ...children) => h('div', { class: 'card', id }, ...children);
  root.append(h('div', { class: 'page-head' }, h('h1', {}, t('dashboard.title'))));

  async function load() {
    let scores;
    let alerts;
    let notices;
    try {
      [scores, alerts, notices] = await Promise.all([api.riskScores(), api.usageAlerts(false, null), api.notices()]);
    } catch (e) {
      toast(e.message, 'error');
      return;
    }
    if (!alive) return;

    // Customers by level, as bars.
    const counts = Object.fromEntries(LEVELS.map((l) => [l, scores.filter((s) => s.level === l).length]));
    const max = Math.max(1, ...Object.values(counts));
    const bars = h('div', { class: 'level-bars', id: 'level-bars' }, LEVELS.map((l) => {
      const bar = h('div', { class: `level-bar risk-${l}` });
      bar.style.width = `${Math.round((counts[l] / max) * 100)}%`;
      return h('div', { class: 'level-row', dataset: { level: l } },
        h('span', { class: 'level-name' }, t(`risk.level.${l}`)), h('div', { class: 'level-track' }, bar),
        h('strong', {}, number(counts[l])));
    }));

    // The top risks, with their two main reasons.
    const top = h('tbody', { id: 'top-risks' });
    for (const s of scores.filter((x) => x.score > 0).slice(0, 20)) {
      top.append(h('tr', { dataset: { customer: s.customer_id, level: s.level } },
        h('td', {}, h('span', { class: `badge risk-${s.level}` }, `${s.score}`)),
        h('td', {}, h('a', { href: `#/customers/${s.customer_id}` }, s.name)),
        h('td', {}, s.factors.slice(0, 2).map((f) => h('div', {}, `${t(`risk.factor.${f.key}`)} — ${f.evidence}`))),
        h('td', { class: 'muted' }, s.factors[0]?.action ?? '')));
    }
    if (!top.children.length) top.append(h('tr', {}, h('td', { class: 'empty', colspan: 4 }, t('dashboard.no_risks'))));

    // Needs action today: notices past their deadline, then open alerts, most severe first.
    const today = h('ul', { class: 'todo', id: 'todo' });
    for (const n of notices.filter((x) => x.respond_overdue || x.mitigate_overdue)) {
      today.append(h('li', { dataset: { kind: 'notice' } }, h('span', { class: 'badge level-4' }, t('dashboard.notice')), ' ',
        h('a', { href: '#/usage' }, `${n.customer_name ?? n.tenant_id}: ${n.title}`)));
    }
    for (const a of alerts.filter((x) => x.status === 'open' && x.severity >= 3).slice(0, 15)) {
      today.append(h('li', { dataset: { kind: a.kind } }, h('span', { class: `badge level-${a.severity}` }, t(`alerts.severity.${a.severity}`)), ' ',
        h('a', { href: '#/usage' }, `${a.customer_name ?? ''}: ${language() === 'zh-TW' ? a.title_zh : a.title_en}`)));
    }
    if (!today.children.length) today.append(h('li', { class: 'muted' }, t('dashboard.nothing_today')));

    root.replaceChildren(root.firstChild,
      card('dashboard-levels', h('h2', {}, t('dashboard.by_level')), bars),
      card('dashboard-today', h('h2', {}, t('dashboard.today')), today),
      card('dashboard-top', h('h2', {}, t('dashboard.top')), h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, [t('dashboard.score'), t('customers.name'), t('dashboard.reasons'), t('alerts.action')].map((c) => h('th', {}, c)))), top)));
  }

  load();
  return () => { alive = false; };
}

// The customer page's risk card: the score, its reasons, the exposure and the history.

import { api } from '../../api.js';
import { h, svg } from '../../dom.js';
import { date, labelled, language, listText, money, number, t, timestamp } from '../../i18n.js';
import { documentWritten, reference, toast } from '../../shell.js';
import { errorText } from '../../errors.js';

/**
 * The risk score, its factors in order of contribution, exposure and history.
 * @param {{ id: number }} ctx
 */
export function riskCard(ctx, r) {
  const { id } = ctx;
  if (!r) return null;
  const cur = r.exposure.currency;
  const m = (minor) => (cur ? money({ minor, currency: cur }) : String(minor));
  const zh = language() === 'zh-TW';
  const factors = h('ul', { class: 'factors', id: 'risk-factors' }, r.factors.map((f) =>
    h('li', { dataset: { factor: f.key } }, h('strong', {}, `+${f.points} ${t(`risk.factor.${f.key}`)}`), ': ', zh ? f.evidence_zh : f.evidence,
      h('div', { class: 'muted' }, labelled(t('alerts.action'), zh ? f.action_zh : f.action)))));
  if (!r.factors.length) factors.append(h('li', { class: 'muted' }, t('risk.no_factors')));
  const over = r.exposure.over_limit;
  const windows = r.windows.map((w) => h('p', { class: 'danger', dataset: { window: w.subscription_id } },
    t('risk.window', { offer: w.offer, n: number(w.quantity), hours: number(w.hours_left), closes: timestamp(w.closes_at) })));
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
    // Purchases (reservations, Marketplace) are named in the sentence only when there are any.
    h('p', { class: over ? 'danger' : 'muted', id: 'risk-exposure' }, t(r.exposure.purchases_not_invoiced_minor ? 'risk.exposure_purchases' : 'risk.exposure', {
      total: m(r.exposure.total_minor), open: m(r.exposure.open_receivables_minor),
      usage: m(r.exposure.usage_not_invoiced_minor), committed: m(r.exposure.committed_minor),
      purchases: m(r.exposure.purchases_not_invoiced_minor),
      credit: m(r.exposure.credit_minor), limit: m(r.exposure.credit_limit_minor),
    })),
    r.exposure.usage_rate
      ? h('p', { class: 'muted small', id: 'risk-usage-rate' }, t('risk.usage_rate', { rate: language() === 'zh-TW' ? r.exposure.usage_rate[1] : r.exposure.usage_rate[0] }))
      : '',
    r.exposure.usage_unconverted.length
      ? h('p', { class: 'danger', id: 'risk-usage-unconverted' }, t('risk.usage_unconverted', { amounts: listText(r.exposure.usage_unconverted.map(money)) }))
      : '',
    r.exposure.usage_credited.length
      ? h('p', { class: 'muted small', id: 'risk-usage-credited' }, t('risk.usage_credited', { amounts: listText(r.exposure.usage_credited.map(money)) }))
      : '',
    historyChart(r.history, r.edges));
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
    h('figcaption', { class: 'muted small' }, labelled(t('risk.history'), history.map(([day, score]) => `${date(day)} ${score}`).join(' → '))),
    svg('svg', { viewBox: `-4 -4 ${W + 8} ${H + 8}`, width: W + 8, height: H + 8, role: 'img', 'aria-label': t('risk.history') },
      svg('rect', { x: 0, y: 0, width: W, height: H, class: 'chart-bg' }),
      ...edges.map((e) => svg('line', { x1: 0, x2: W, y1: y(e), y2: y(e), class: 'chart-edge' })),
      svg('polyline', { points: pts.map(([x, s]) => `${x},${y(s)}`).join(' '), class: 'chart-line' })));
}

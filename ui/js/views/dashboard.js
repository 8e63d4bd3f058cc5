// The dashboard, the first view: customers by risk level, what needs action today (top
// risks, cancellation windows closing, notices near their deadline, letters and calls the
// dunning plan asks for, promises falling due, budget and misuse alerts), each one click
// from its evidence and each markable as done (audited), and the risks to work on first.

import { api, onEvent } from '../api.js';
import { h } from '../dom.js';
import { date, labelled, language, number, t, timestamp } from '../i18n.js';
import { documentWritten, newestRead, reference, toast } from '../shell.js';
import { formDialog } from '../dialog.js';
import { errorText } from '../errors.js';
import { headroomCard } from './headroom-card.js';
import { backupButton, backupDoneText, backupStatusText } from './backup-status.js';

const LEVELS = ['critical', 'high', 'medium', 'low'];

export function mount(root) {
  let alive = true;
  const read = newestRead();
  const card = (id, ...children) => h('div', { class: 'card', id }, ...children);
  const portfolio = h('button', { id: 'portfolio-report' }, t('dashboard.portfolio_report'));
  portfolio.addEventListener('click', async () => {
    try {
      const path = await api.saveDocumentAs({ kind: 'portfolio', as_of: reference.today, lang: language() }, t('dashboard.portfolio_report'));
      if (path) documentWritten(path);
    } catch (e) { toast(errorText(e), 'error'); }
  });
  const head = h('div', { class: 'page-head' }, h('h1', {}, t('dashboard.title')), portfolio);
  root.append(head);

  async function markDone(item) {
    const v = await formDialog(t('dashboard.mark_done_title'), h('div', {},
      h('p', {}, labelled(item.customer_name, `${t(`agenda.${item.kind}`)}${item.detail ? ` — ${(language() === 'zh-TW' && item.detail_zh) || item.detail}` : ''}`)),
      h('label', { class: 'field' }, h('span', {}, t('common.note')), h('textarea', { name: 'note', id: 'd-done-note', rows: 2 }))),
    t('dashboard.done'));
    if (!v) return;
    try {
      await api.markActionDone(item.key, v.note);
      toast(t('customer.saved'));
      await load();
    } catch (e) { toast(errorText(e), 'error'); }
  }

  async function load() {
    let scores;
    let agenda;
    let derived;
    let headroom;
    let backups;
    // Read again on every change of the kept scores: an earlier read must not draw last.
    const newest = read();
    try {
      [scores, agenda, derived, headroom, backups] = await Promise.all([api.riskScores(), api.riskAgenda(), api.derivedStatus(), api.headroom(), api.backupStatus()]);
    } catch (e) {
      if (newest()) toast(errorText(e), 'error');
      return;
    }
    if (!alive || !newest()) return;

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

    // Needs action today: the agenda from the records, most urgent first.
    const today = h('ul', { class: 'todo', id: 'todo' });
    for (const item of agenda) {
      const done = h('button', { class: 'small', dataset: { action: 'done' } }, t('dashboard.done'));
      done.addEventListener('click', () => markDone(item));
      // A risk item reads "score · level · main factor"; the others carry their record's words.
      const what = item.kind === 'risk'
        ? `${item.score} · ${t(`risk.level.${item.level}`)} · ${item.factor ? t(`risk.factor.${item.factor}`) : ''}`
        : (language() === 'zh-TW' && item.detail_zh) || item.detail;
      // A day (YYYY-MM-DD) or a moment (RFC 3339, a deadline to the minute), in the language
      // chosen and, for a moment, the owner's own time.
      const when = item.kind === 'risk' || !item.when ? ''
        : /^\d{4}-\d\d-\d\d$/.test(item.when) ? date(item.when) : timestamp(item.when);
      today.append(h('li', { dataset: { kind: item.kind, key: item.key } },
        h('span', { class: `badge urgency-${item.urgency}` }, t(`agenda.${item.kind}`)), ' ',
        h('a', { href: item.link }, item.customer_name ? labelled(item.customer_name, what) : what),
        when ? h('span', { class: 'muted small' }, ` · ${when}`) : null, ' ', done));
    }
    if (!today.children.length) today.append(h('li', { class: 'muted' }, t('dashboard.nothing_today')));

    // The top risks, with their two main reasons.
    const zh = language() === 'zh-TW';
    const top = h('tbody', { id: 'top-risks' });
    for (const s of scores.filter((x) => x.score > 0).slice(0, 20)) {
      top.append(h('tr', { dataset: { customer: s.customer_id, level: s.level } },
        h('td', {}, h('span', { class: `badge risk-${s.level}` }, `${s.score}`)),
        h('td', {}, h('a', { href: `#/customers/${s.customer_id}` }, s.name)),
        h('td', {}, s.factors.slice(0, 2).map((f) => h('div', {}, `${t(`risk.factor.${f.key}`)} — ${zh ? f.evidence_zh : f.evidence}`))),
        h('td', { class: 'muted' }, (zh ? s.factors[0]?.action_zh : s.factors[0]?.action) ?? '')));
    }
    if (!top.children.length) top.append(h('tr', {}, h('td', { class: 'empty', colspan: 4 }, t('dashboard.no_risks'))));

    // The scores kept after each change could not be brought up to date: the changes are
    // saved; say so, with why, and offer to try again.
    const retry = h('button', { id: 'derived-retry' }, t('dashboard.derived_retry'));
    retry.addEventListener('click', () => { retry.disabled = true; api.refreshDerived().catch((e) => toast(errorText(e), 'error')); });
    const failed = derived.error
      ? card('derived-error', h('p', { class: 'error' }, t('dashboard.derived_failed')),
        h('p', { class: 'muted small' }, t('error.detail', { message: derived.error })), retry)
      : '';
    // Changes no backup holds, and the last backup as old as the reminder's days (or none):
    // a book kept on one computer is lost with it.
    const backupDue = backups.due
      ? h('div', { class: 'card backup-due', id: 'dashboard-backup' },
        h('div', {},
          h('strong', {}, t('dashboard.backup_title')), ' ',
          h('span', { id: 'dashboard-backup-status' }, backupStatusText(backups)),
          h('p', { class: 'muted small' }, t('dashboard.backup_explain', { d: number(backups.remind_days) }))),
        h('div', { class: 'backup-due-actions' },
          backupButton('dashboard-backup-now', (written) => {
            toast(backupDoneText(written));
            load();
          }),
          h('a', { href: '#/settings', class: 'small' }, t('dashboard.backup_settings'))))
      : '';
    root.replaceChildren(head, failed, backupDue,
      card('dashboard-levels', h('h2', {}, t('dashboard.by_level')), bars),
      card('dashboard-today', h('h2', {}, t('dashboard.today'), ' ', h('span', { class: 'muted small' }, number(agenda.length))), today),
      headroomCard(headroom, { id: 'dashboard-headroom', customers: 5, link: true }),
      card('dashboard-top', h('h2', {}, t('dashboard.top')), h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, [t('dashboard.score'), t('customers.name'), t('dashboard.reasons'), t('alerts.action')].map((c) => h('th', {}, c)))), top)));
  }

  load();
  // The scores and alerts kept after a change are up to date (or could not be): read again.
  const unlisten = onEvent('derived-changed', () => { if (alive) load(); });
  return () => {
    alive = false;
    unlisten.then((f) => f());
  };
}

// A run's letters by e-mail, from the run history: as drafts in the run's folder (opened in
// the mail program), or sent over SMTP one message per customer with progress, each
// failure listed with the server's answer and retried on demand; what was sent is not sent
// twice unless the owner asks.

import { api, onEvent } from '../api.js';
import { h } from '../dom.js';
import { listText, t, timestamp } from '../i18n.js';
import { toast } from '../shell.js';
import { confirmDialog } from '../dialog.js';
import { errorText } from '../errors.js';

/**
 * The run's e-mail status and buttons; results go into `box`, `reload` refreshes the history.
 * @param {any} run @param {HTMLElement} box @param {() => Promise<void>} reload
 */
export function runMail(run, box, reload) {
  const m = run.mail;
  const parts = [];
  if (m.sent) parts.push(t('mail.status_sent', { n: m.sent }));
  if (m.failed) parts.push(t('mail.status_failed', { n: m.failed }));
  if (m.drafted) parts.push(t('mail.status_drafted', { n: m.drafted }));
  const status = h('div', { class: `small ${m.failed ? 'warn' : 'muted'}`, dataset: { mailStatus: run.id } }, parts.join(' · '));
  if (parts.length) {
    const show = h('button', { class: 'small link mail-log', dataset: { id: run.id } }, t('mail.log_show'));
    show.addEventListener('click', () => showLog(run, box));
    status.append(' ', show);
  }
  if (!(run.reprintable && run.letters > 0)) return { status, buttons: [] };
  const draftsButton = h('button', { class: 'small drafts', dataset: { id: run.id } }, t('mail.drafts'));
  draftsButton.addEventListener('click', () => drafts(run, draftsButton, box));
  const sendButton = h('button', { class: 'small send-mail', dataset: { id: run.id } }, t('mail.send'));
  sendButton.addEventListener('click', async () => {
    if (!(await confirmDialog(t('mail.send_confirm', { id: run.id }), t('mail.send')))) return;
    await send(run, sendButton, box, false, reload);
  });
  return { status, buttons: [draftsButton, sendButton] };
}

/** The run's mail log: every message drafted, sent or failed, newest first. */
async function showLog(run, box) {
  try {
    const rows = await api.runMailLog(run.id);
    box.replaceChildren(h('div', { class: 'card', id: 'run-mail-log' },
      h('h2', {}, t('mail.run_log_title', { id: run.id })),
      h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, [t('mail.when'), '', t('mail.to'), t('mail.subject'), t('mail.attachment'), t('mail.reply')].map((x) => h('th', {}, x)))),
        h('tbody', { id: 'run-mail-rows' }, rows.map((r) => h('tr', { dataset: { kind: r.kind } },
          h('td', { class: 'muted small' }, timestamp(r.at)), h('td', {}, t(`mail.kind.${r.kind}`)), h('td', {}, r.recipient),
          h('td', {}, r.subject), h('td', { class: 'small muted', title: `SHA-256 ${r.attachment_sha256}` }, r.attachment),
          h('td', { class: r.kind === 'failed' ? 'warn small' : 'muted small' }, r.reply)))))));
    box.scrollIntoView({ block: 'start' });
  } catch (e) {
    toast(errorText(e), 'error');
  }
}

/** The run's letters as e-mail drafts in its folder; each one opens in the mail program. */
async function drafts(run, button, box) {
  button.disabled = true;
  try {
    const d = await api.writeEmailDrafts(run.id);
    toast(t('mail.drafts_written', { n: d.written.length }));
    box.replaceChildren(h('div', { class: 'card', id: 'drafts-card' },
      h('h2', {}, t('mail.drafts_title', { id: run.id })),
      h('p', { class: 'muted' }, t('mail.drafts_explain')),
      h('table', { class: 'grid' }, h('tbody', { id: 'draft-rows' }, d.written.map((w) => {
        const open = h('button', { class: 'small', dataset: { draft: w.path } }, t('mail.open'));
        open.addEventListener('click', () => api.openDocument(w.path).catch((e) => toast(errorText(e), 'error')));
        return h('tr', {}, h('td', {}, w.legal_name), h('td', {}, w.to), h('td', {}, w.subject), h('td', {}, open));
      }))),
      noAddress(d.no_address)));
    box.scrollIntoView({ block: 'start' });
  } catch (e) {
    toast(errorText(e), 'error');
  } finally {
    button.disabled = false;
  }
}

/** @param {string[]} names */
function noAddress(names) {
  return names.length ? h('p', { class: 'warn', id: 'mail-no-address' }, t('mail.no_address', { names: listText(names) })) : null;
}

/** Sends the run's letters over SMTP with a progress bar, then lists what happened. */
async function send(run, button, box, again, reload) {
  button.disabled = true;
  const bar = h('progress', { id: 'mail-progress', max: 1, value: 0 });
  const label = h('span', { class: 'muted' }, t('mail.sending'));
  box.replaceChildren(h('div', { class: 'card' }, label, ' ', bar));
  const unlisten = await onEvent('mail-progress', (p) => {
    bar.max = p.total;
    bar.value = p.done;
    label.textContent = t('mail.progress', { done: p.done, total: p.total });
  });
  try {
    const report = await api.sendRunMail(run.id, again);
    showReport(run, report, box, reload);
    await reload();
  } catch (e) {
    box.replaceChildren();
    toast(errorText(e), 'error');
  } finally {
    unlisten();
    button.disabled = false;
  }
}

function showReport(run, report, box, reload) {
  const count = (s) => report.outcomes.filter((o) => o.status === s).length;
  const unsent = count('failed') + count('not_attempted');
  const retry = h('button', { class: 'primary', id: 'mail-retry' }, t('mail.retry'));
  retry.addEventListener('click', () => send(run, retry, box, false, reload));
  const again = h('button', { id: 'mail-again' }, t('mail.send_again'));
  again.addEventListener('click', async () => {
    if (!(await confirmDialog(t('mail.send_again_confirm'), t('mail.send_again')))) return;
    await send(run, again, box, true, reload);
  });
  box.replaceChildren(h('div', { class: 'card', id: 'mail-report' },
    h('h2', {}, t('mail.report_title', { id: run.id })),
    h('p', { class: unsent ? 'warn' : 'muted', id: 'mail-summary' }, t('mail.summary', {
      sent: count('sent'), before: count('already_sent'), failed: count('failed'), skipped: count('not_attempted'),
    })),
    h('table', { class: 'grid' }, h('tbody', { id: 'mail-rows' }, report.outcomes.map((o) =>
      h('tr', { dataset: { status: o.status } },
        h('td', {}, o.legal_name), h('td', {}, o.to), h('td', {}, o.subject),
        h('td', { class: o.status === 'failed' || o.status === 'not_attempted' ? 'warn' : '' }, t(`mail.outcome.${o.status}`)),
        h('td', { class: 'small muted' }, o.reply))))),
    noAddress(report.no_address),
    h('div', { class: 'actions' }, unsent ? retry : null, again)));
  box.scrollIntoView({ block: 'start' });
}

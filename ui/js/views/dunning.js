// The dunning run in three steps: build the plan, review it (leave customers or actions
// out, preview each letter), execute it with a progress bar.

import { api, onEvent } from '../api.js';
import { clear, h } from '../dom.js';
import { date, labelled, language, listText, money, t } from '../i18n.js';
import { newestRead, reference, toast } from '../shell.js';
import { confirmDialog, formDialog } from '../dialog.js';
import { errorText } from '../errors.js';
import { runMail } from './dunning-mail.js';

export function mount(root) {
  let alive = true;
  const read = newestRead();
  let unlisten = null;
  const asOf = h('input', { type: 'date', id: 'dunning-as-of', value: reference.today });
  const build = h('button', { class: 'primary', id: 'build-plan' }, t('dunning.build'));
  const planBox = h('div', { id: 'dunning-plan' });
  const resultBox = h('div', { id: 'dunning-result' });
  let plan = null;
  const choices = new Map();

  const levelName = (lv) => (language() === 'zh-TW' ? lv.name_zh : lv.name_en);
  const noteText = (n) => {
    if (n.kind === 'disputed') return t('note.disputed', { invoices: listText(n.invoices) });
    if (n.kind === 'no_fee_in_currency') return t('note.no_fee_in_currency', { currency: n.currency });
    if (n.kind === 'payment_plan') return t('note.payment_plan', { plan: n.plan_id, invoices: listText(n.invoices) });
    if (n.kind === 'plan_ended') return t('note.plan_ended', { plan: n.plan_id, date: date(n.on) });
    if (n.kind === 'taken_again') return t('note.taken_again', { run: n.run_id, invoices: listText(n.invoices) });
    return t(`note.${n.kind}`, { amount: money(n.amount), date: date(n.pay_by) });
  };
  const historyBox = h('div', { id: 'dunning-history' });

  async function preview(c) {
    // The reviewer's choices so far: the preview is the letter the run will print.
    const choice = choices.get(c.customer_id);
    const p = await api.previewLetter(plan.as_of, c.customer_id,
      Boolean(choice?.charge && !choice.charge.checked), Boolean(choice?.suspend && !choice.suspend.checked));
    const m = (v) => money({ minor: v, currency: p.plan.currency });
    const body = h('div', { class: 'letter-preview', id: 'letter-preview' },
      h('div', { class: 'lp-head' }, h('strong', {}, p.letterhead_name), h('div', { class: 'muted small pre' }, p.letterhead_address)),
      h('div', { class: 'lp-to' }, h('div', {}, p.customer_name), h('div', { class: 'small pre' }, p.customer_address)),
      h('h3', {}, p.title),
      h('p', {}, p.body),
      h('table', { class: 'grid' }, h('tbody', {}, p.plan.invoices.map((i) => h('tr', {}, h('td', {}, i.number), h('td', { class: 'day' }, date(i.due_on)), h('td', { class: 'num' }, String(i.days_overdue)),
        // Each invoice's stage, as the letter prints it.
        h('td', { class: 'small' }, (p.plan.language === 'zh-TW' ? i.stage_zh : i.stage_en) ?? ''),
        h('td', { class: 'num' }, money(i.due)), h('td', { class: 'num' }, i.late_fee_minor + i.interest_minor ? m(i.late_fee_minor + i.interest_minor) : ''))))),
      h('p', { class: 'num' }, labelled(t('dunning.total_due'), ''), h('strong', {}, money(p.total))));
    await formDialog(t('dunning.preview'), body, t('common.ok'));
  }

  function render() {
    clear(planBox);
    clear(resultBox);
    choices.clear();
    if (!plan.customers.length) {
      planBox.append(h('p', { class: 'card muted', id: 'plan-empty' }, t('dunning.nothing')));
    }
    const rows = h('tbody', { id: 'plan-rows' });
    for (const c of plan.customers) {
      const include = h('input', { type: 'checkbox', checked: true, class: 'include', dataset: { id: c.customer_id } });
      const suspend = c.suspend.length ? h('input', { type: 'checkbox', checked: true, class: 'do-suspend' }) : null;
      const charge = c.charges.minor ? h('input', { type: 'checkbox', checked: true, class: 'do-charge' }) : null;
      choices.set(c.customer_id, { include, suspend, charge });
      const previewButton = h('button', { class: 'small preview', dataset: { id: c.customer_id } }, t('dunning.preview'));
      previewButton.addEventListener('click', () => preview(c).catch((e) => toast(errorText(e), 'error')));
      rows.append(h('tr', { dataset: { id: c.customer_id, level: c.level.seq } },
        h('td', {}, include),
        h('td', {}, h('a', { href: `#/customers/${c.customer_id}` }, c.legal_name),
          h('div', { class: 'muted small' }, c.invoices.filter((i) => i.new_level).map((i) => `${i.number} · ${t('aging.days', { n: i.days_overdue })}`).join('; ')),
          c.notes.length ? h('div', { class: 'small warn' }, c.notes.map(noteText).join('; ')) : null),
        h('td', {}, h('span', { class: `badge level-${c.level.seq}` }, `${c.level.seq}. ${levelName(c.level)}`)),
        h('td', { class: 'num' }, money(c.overdue)),
        h('td', { class: 'num' }, charge ? h('label', {}, charge, ' ', money(c.charges)) : '—'),
        h('td', {}, listText(c.actions.map((a) => t(`action.${a}`))),
          suspend ? h('div', { class: 'small' }, h('label', {}, suspend, ' ', t('dunning.suspend_n', { n: c.suspend.length }))) : null),
        h('td', {}, previewButton)));
    }
    if (plan.customers.length) {
      const exec = h('button', { class: 'primary', id: 'execute-run' }, t('dunning.execute'));
      exec.addEventListener('click', () => execute(exec));
      planBox.append(h('div', { class: 'card' },
        h('div', { class: 'page-head' }, h('h2', {}, t('dunning.plan_title', { n: plan.customers.length, date: date(plan.as_of) })), exec),
        h('table', { class: 'grid' }, h('thead', {}, h('tr', {}, ['', t('customers.name'), t('dunning.level'), t('aging.overdue'), t('dunning.charges'), t('dunning.actions'), ''].map((x) => h('th', {}, x)))), rows)));
    }
    if (plan.paused.length) {
      planBox.append(h('div', { class: 'card', id: 'plan-paused' }, h('h2', {}, t('dunning.paused')),
        h('ul', {}, plan.paused.map((p) => h('li', {}, labelled(p.legal_name, noteText(p.note)))))));
    }
    if (plan.reactivations.length) {
      planBox.append(h('div', { class: 'card', id: 'plan-reactivate' }, h('h2', {}, t('dunning.reactivate')),
        h('p', { class: 'muted' }, t('dunning.reactivate_hint')),
        h('ul', {}, plan.reactivations.flatMap((r) => r.subscriptions.map((s) => h('li', {}, `${labelled(r.legal_name, s.offer)} `, h('code', {}, s.pc_subscription_id),
          r.never_due_by_run == null ? null : h('span', { class: 'muted' }, ` · ${t('dunning.reactivate_never_due', { run: r.never_due_by_run })}`)))))));
    }
  }

  function showResult(r, title) {
    const suspended = r.changes.filter((c) => c.action === 'suspend');
    const reactivated = r.changes.filter((c) => c.action === 'reactivate');
    const item = (c) => h('li', {}, `${labelled(c.legal_name, c.subscription.offer)} `, h('code', {}, c.subscription.pc_subscription_id));
    const showFolder = h('button', { class: 'small', id: 'show-run-folder' }, t('document.show'));
    showFolder.addEventListener('click', () => api.showInFolder(r.folder).catch((e) => toast(errorText(e), 'error')));
    resultBox.replaceChildren(h('div', { class: 'card', id: 'run-result' },
      h('h2', {}, title),
      h('p', {}, t('dunning.letters_in'), ' ', h('code', { id: 'run-folder' }, r.folder), ' ', showFolder),
      r.files.length ? h('ul', { class: 'small' }, r.files.map((f) => h('li', {}, f))) : null,
      r.charge_invoices.length ? h('p', {}, t('dunning.charges_booked', { list: listText(r.charge_invoices) })) : null,
      suspended.length ? h('div', {}, h('h3', {}, t('dunning.suspend_in_pc')), h('ul', { id: 'suspended-list' }, suspended.map(item))) : null,
      reactivated.length ? h('div', {}, h('h3', {}, t('dunning.reactivate_in_pc')), h('ul', { id: 'reactivated-list' }, reactivated.map(item))) : null));
  }

  async function execute(button) {
    const ex = { customers: [], no_suspension: [], no_charges: [] };
    for (const [id, c] of choices) {
      if (!c.include.checked) ex.customers.push(id);
      if (c.suspend && !c.suspend.checked) ex.no_suspension.push(id);
      if (c.charge && !c.charge.checked) ex.no_charges.push(id);
    }
    const n = choices.size - ex.customers.length;
    if (!(await confirmDialog(t('dunning.confirm', { n }), t('dunning.execute')))) return;
    button.disabled = true;
    build.disabled = true;
    const bar = h('progress', { id: 'run-progress', max: 1, value: 0 });
    const label = h('span', { class: 'muted' }, t('dunning.running'));
    resultBox.replaceChildren(h('div', { class: 'card' }, label, ' ', bar));
    unlisten = await onEvent('dunning-progress', (p) => {
      bar.max = p.total;
      bar.value = p.done;
      label.textContent = t('dunning.progress', { done: p.done, total: p.total });
    });
    try {
      const r = await api.executeDunning(plan.as_of, ex, plan.fingerprint);
      clear(planBox);
      if (r) showResult(r, t('dunning.done', { steps: r.steps, n: r.customers }));
      else resultBox.replaceChildren(h('div', { class: 'card', id: 'run-result' }, h('h2', {}, t('dunning.nothing'))));
      await loadHistory();
    } catch (e) {
      resultBox.replaceChildren();
      toast(errorText(e), 'error');
      button.disabled = false;
    } finally {
      build.disabled = false;
      if (unlisten) { unlisten(); unlisten = null; }
    }
  }

  async function reprint(run, button) {
    button.disabled = true;
    try {
      const r = await api.reprintRun(run.id);
      showResult(r, t('dunning.reprinted', { id: run.id }));
      await loadHistory();
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      button.disabled = false;
    }
  }

  const draftsBox = h('div', { id: 'drafts-box' });

  async function loadHistory() {
    const newest = read();
    const runs = await api.dunningRuns();
    if (!alive || !newest()) return;
    clear(historyBox);
    if (!runs.length) return;
    const rows = runs.map((r) => {
      let status;
      let button = null;
      if (!r.reprintable) {
        status = t('dunning.not_reprintable');
      } else {
        status = r.missing.length ? t('dunning.files_missing', { n: r.missing.length }) : t('dunning.files_ok');
        button = h('button', { class: 'small reprint', dataset: { id: r.id } }, t('dunning.reprint'));
        const b = button;
        b.addEventListener('click', () => reprint(r, b));
      }
      const mail = runMail(r, draftsBox, loadHistory);
      return h('tr', { dataset: { id: r.id, missing: r.missing.length } },
        h('td', { class: 'num' }, String(r.id)),
        h('td', { class: 'day' }, date(r.as_of)),
        h('td', { class: 'num' }, String(r.customers)),
        h('td', { class: 'num' }, String(r.letters)),
        h('td', { class: 'num' }, r.charges.length ? r.charges.map((m) => money(m)).join(' + ') : '—'),
        h('td', { class: 'num' }, String(r.suspensions)),
        h('td', { class: r.missing.length ? 'warn' : 'muted' }, status, h('div', { class: 'small muted' }, r.folder), mail.status),
        h('td', {}, button, ' ', ...mail.buttons));
    });
    historyBox.append(h('div', { class: 'card' }, h('h2', {}, t('dunning.history')),
      h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, [t('dunning.run'), t('aging.as_of'), t('dunning.customers'), t('dunning.letters'), t('dunning.charges'), t('dunning.suspensions'), t('dunning.files'), ''].map((x) => h('th', {}, x)))),
        h('tbody', { id: 'history-rows' }, rows))), draftsBox);
  }

  build.addEventListener('click', async () => {
    try {
      plan = await api.planDunning(asOf.value || reference.today);
      if (alive) render();
    } catch (e) {
      toast(errorText(e), 'error');
    }
  });

  // Where runs write their folders: chosen once in the OS folder dialog.
  const base = h('code', { id: 'run-base' });
  const change = h('button', { class: 'small', id: 'change-run-base' }, t('dunning.change_folder'));
  change.addEventListener('click', async () => {
    try {
      const chosen = await api.chooseDunningFolder(t('dunning.change_folder'));
      if (chosen) base.textContent = chosen;
    } catch (e) { toast(errorText(e), 'error'); }
  });
  api.dunningFolder().then((f) => { base.textContent = f; }).catch((e) => toast(errorText(e), 'error'));
  root.append(h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('nav.dunning')),
      h('div', { class: 'toolbar' }, h('label', {}, `${t('aging.as_of')} `, asOf), build)),
    h('p', { class: 'muted' }, t('dunning.intro')),
    h('p', { class: 'small' }, `${t('dunning.folder')} `, base, ' ', change),
    planBox, resultBox, historyBox));
  loadHistory().catch((e) => toast(errorText(e), 'error'));
  return () => { alive = false; if (unlisten) unlisten(); };
}

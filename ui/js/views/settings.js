// Settings: where the data lives, its backups and the recovery key (shown after confirming).

import { api } from '../api.js';
import { h } from '../dom.js';
import { aside, country, listText, number, t } from '../i18n.js';
import { confirmDialog, formDialog } from '../dialog.js';
import { sayAfterReload, toast } from '../shell.js';
import { recoveryKeyPanel } from './recovery-key.js';
import { ratesCard } from './rates.js';
import { mailCard } from './mail-settings.js';
import { backupButton, backupDoneText, backupStatusText, remindLabel, REMIND_CHOICES } from './backup-status.js';
import { errorText } from '../errors.js';

/** @type {Array<[string, boolean]>} */
const LETTERHEAD = [
  ['letterhead.name', false], ['letterhead.address', true], ['letterhead.tax_id', false],
  ['letterhead.phone', false], ['letterhead.email', false], ['letterhead.payment_instructions', true],
];

function letterheadForm() {
  const controls = {};
  const grid = h('div', { class: 'form-grid' });
  for (const [key, multi] of LETTERHEAD) {
    controls[key] = h(multi ? 'textarea' : 'input', { id: `s-${key.replace('.', '-')}`, rows: multi ? 3 : undefined });
    grid.append(h('label', { class: `field ${multi ? 'field-notes' : ''}` }, h('span', {}, t(`settings.${key}`)), controls[key]));
  }
  controls.paper = h('select', { id: 's-paper' }, h('option', { value: 'a4' }, 'A4'), h('option', { value: 'letter' }, 'US Letter'));
  grid.append(h('label', { class: 'field' }, h('span', {}, t('settings.paper')), controls.paper));
  // The logo goes to Rust as base64 on its own; the page never displays it.
  const logoState = h('span', { class: 'muted', id: 's-logo-state' });
  const logoFile = h('input', { type: 'file', accept: 'image/png,image/jpeg', id: 's-logo' });
  const removeLogo = h('button', { class: 'small' }, t('settings.logo_remove'));
  const saveLogo = async (value) => {
    try {
      await api.saveLetterhead([['letterhead.logo', value]]);
      logoState.textContent = value ? t('settings.logo_set') : t('settings.logo_none');
      toast(t('customer.saved'));
    } catch (e) {
      toast(errorText(e), 'error');
    }
  };
  logoFile.addEventListener('change', () => {
    const file = logoFile.files?.[0];
    if (!file) return;
    const reader = new FileReader();
    reader.addEventListener('load', () => saveLogo(String(reader.result).split(',')[1] ?? ''));
    reader.readAsDataURL(file);
  });
  removeLogo.addEventListener('click', () => saveLogo(''));
  grid.append(h('div', { class: 'field' }, h('span', {}, t('settings.logo')), logoFile, h('div', {}, logoState, ' ', removeLogo)));
  api.letterhead().then((pairs) => {
    for (const [k, v] of pairs) {
      if (k === 'letterhead.logo') logoState.textContent = v ? aside(t('settings.logo_set'), v) : t('settings.logo_none');
      else if (controls[k]) controls[k].value = k === 'paper' ? (v || 'a4') : v;
    }
  });
  const save = h('button', { class: 'primary', id: 'save-letterhead' }, t('common.save'));
  save.addEventListener('click', async () => {
    try {
      await api.saveLetterhead(Object.entries(controls).map(([k, c]) => [k, c.value]));
      toast(t('customer.saved'));
    } catch (e) {
      toast(errorText(e), 'error');
    }
  });
  return h('section', { class: 'card narrow' }, h('h2', {}, t('settings.letterhead')), h('p', { class: 'muted' }, t('settings.letterhead_explain')), grid, h('div', { class: 'actions' }, save));
}

const CHECKS = ['phone_contact', 'credit_check', 'mfa', 'identity_verified', 'card_fraud_check', 'policy_acknowledged'];

/** The risk model and onboarding rules, with a preview of the level moves before saving. */
function riskForm() {
  const controls = {};
  const grid = h('div', { class: 'form-grid' });
  const weights = h('div', { class: 'form-grid weights' });
  const required = h('div', { class: 'checks-choice', id: 's-required' });
  const prepayment = h('select', { id: 's-onboarding-prepayment' },
    ['never', 'always', 'high_risk'].map((v) => h('option', { value: v }, t(`settings.prepayment.${v}`))));
  const result = h('div', { id: 'risk-preview', class: 'muted' });
  /** @type {Record<string, string>} */
  let saved = {};
  const input = (key, label, hint) => {
    controls[key] = h('input', { id: `s-${key.replaceAll('.', '-')}`, spellcheck: 'false' });
    grid.append(h('label', { class: 'field' }, h('span', {}, label), controls[key], hint ? h('small', { class: 'muted' }, hint) : null));
  };
  input('risk.levels', t('settings.risk.levels'), t('settings.risk.levels_hint'));
  input('risk.high_risk_countries', t('settings.risk.countries'), t('settings.risk.countries_hint'));
  // The codes typed, named in the window's language as they are typed.
  const named = h('small', { id: 's-countries-named', class: 'muted' });
  const nameCountries = () => {
    const codes = controls['risk.high_risk_countries'].value.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
    named.textContent = listText(codes.map(country));
  };
  controls['risk.high_risk_countries'].addEventListener('input', nameCountries);
  controls['risk.high_risk_countries'].after(named);
  input('risk.signup_window_days', t('settings.risk.signup_window'));
  input('risk.signup_min_customers', t('settings.risk.signup_min'));
  input('risk.cancel_window_days', t('settings.risk.cancel_window'), t('settings.risk.cancel_window_hint'));
  input('risk.utc_offset', t('settings.risk.utc_offset'), t('settings.risk.utc_offset_hint'));
  grid.append(h('label', { class: 'field' }, h('span', {}, t('settings.prepayment')), prepayment));
  const boxes = {};
  for (const c of CHECKS) {
    boxes[c] = h('input', { type: 'checkbox', value: c, id: `s-required-${c}` });
    required.append(h('label', { class: 'check-choice' }, boxes[c], ' ', t(`check.${c}`)));
  }

  /** Every value as the form has it now. */
  const current = () => {
    /** @type {Record<string, string>} */
    const v = {};
    for (const [k, c] of Object.entries(controls)) v[k] = c.value.trim();
    v['onboarding.prepayment'] = prepayment.value;
    v['onboarding.required'] = CHECKS.filter((c) => boxes[c].checked).join(',');
    return v;
  };
  const changes = () => Object.entries(current()).filter(([k, v]) => saved[k] !== v);

  async function load() {
    const pairs = await api.riskSettings();
    saved = Object.fromEntries(pairs);
    weights.replaceChildren();
    for (const [k, v] of pairs) {
      if (k.startsWith('risk.weight.')) {
        const factor = k.slice('risk.weight.'.length);
        controls[k] = h('input', { id: `s-${k.replaceAll('.', '-')}`, inputmode: 'numeric', value: v });
        weights.append(h('label', { class: 'field' }, h('span', {}, t(`risk.factor.${factor}`)), controls[k]));
      } else if (controls[k]) {
        controls[k].value = v;
      }
    }
    prepayment.value = saved['onboarding.prepayment'] ?? 'never';
    nameCountries();
    const req = (saved['onboarding.required'] ?? '').split(',');
    for (const c of CHECKS) boxes[c].checked = req.includes(c);
    result.textContent = '';
  }

  const previewButton = h('button', { id: 'preview-risk' }, t('settings.risk.preview'));
  const save = h('button', { class: 'primary', id: 'save-risk' }, t('common.save'));
  previewButton.addEventListener('click', async () => {
    const list = changes();
    if (!list.length) { result.textContent = t('settings.risk.no_change'); return; }
    try {
      const p = await api.previewRiskSettings(list);
      const moves = p.moves.map(([from, to, n]) => t('settings.risk.move', { n, from: t(`risk.level.${from}`), to: t(`risk.level.${to}`) }));
      result.replaceChildren(
        h('p', {}, moves.length ? moves.join('; ') : t('settings.risk.no_moves')),
        h('p', { class: 'small' }, t('settings.risk.counts', {
          before: listText(p.before.map((n, i) => `${t(`risk.level.${['low', 'medium', 'high', 'critical'][i]}`)} ${n}`)),
          after: listText(p.after.map((n, i) => `${t(`risk.level.${['low', 'medium', 'high', 'critical'][i]}`)} ${n}`)),
        })));
    } catch (e) {
      result.replaceChildren(h('p', { class: 'error' }, errorText(e)));
    }
  });
  save.addEventListener('click', async () => {
    const list = changes();
    if (!list.length) { result.textContent = t('settings.risk.no_change'); return; }
    try {
      await api.saveRiskSettings(list);
      toast(t('customer.saved'));
      await load();
    } catch (e) {
      result.replaceChildren(h('p', { class: 'error' }, errorText(e)));
    }
  });
  load().catch((e) => toast(errorText(e), 'error'));
  return h('section', { class: 'card', id: 'risk-settings' }, h('h2', {}, t('settings.risk.title')),
    h('p', { class: 'muted' }, t('settings.risk.explain')), grid,
    h('h3', {}, t('settings.risk.required')), required,
    h('h3', {}, t('settings.risk.weights')), weights,
    result, h('div', { class: 'actions' }, previewButton, save));
}

/** Back up (the Save dialog) and restore (the Open dialog, then a confirmation). */
function backupActions() {
  const result = h('p', { id: 'backup-result', role: 'status' });
  const status = h('p', { id: 'backup-status', class: 'muted' });
  const remind = h('select', { id: 'backup-remind', name: 'remind' });
  remind.addEventListener('change', async () => {
    try {
      await api.setBackupReminder(Number(remind.value));
      toast(t('customer.saved'));
    } catch (e) {
      toast(errorText(e), 'error');
    }
  });
  async function showStatus() {
    try {
      const s = await api.backupStatus();
      status.textContent = backupStatusText(s);
      const days = REMIND_CHOICES.includes(s.remind_days) ? REMIND_CHOICES : [...REMIND_CHOICES, s.remind_days];
      remind.replaceChildren(...days.map((d) => h('option', { value: String(d), selected: d === s.remind_days }, remindLabel(d))));
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }
  showStatus();
  const backup = backupButton('backup', (written) => {
    result.replaceChildren(backupDoneText(written));
    showStatus();
  });
  const restore = h('button', { id: 'restore' }, t('settings.restore'));
  restore.addEventListener('click', async () => {
    restore.disabled = true;
    try {
      const file = await api.chooseBackup(t('settings.restore_title'));
      if (!file || !(await confirmDialog(t('settings.restore_confirm', { file }), t('settings.restore')))) return;
      let restored;
      try {
        restored = await api.restoreChosenBackup(null);
      } catch (e) {
        if (e.code !== 'locked') throw e;
        // Made with another database's key: its recovery key opens it.
        const input = h('input', { name: 'key', id: 'restore-key', autocomplete: 'off', spellcheck: 'false', size: 60, required: true });
        const values = await formDialog(t('settings.restore_key_title'),
          h('div', {}, h('p', {}, t('settings.restore_key_explain', { file })),
            h('label', { class: 'field' }, h('span', {}, t('unlock.key')), input)),
          t('settings.restore'));
        if (!values) return;
        restored = await api.restoreChosenBackup(values.key);
      }
      // The window starts again on the restored book: its language, its counts, no page's
      // state from the book it replaced.
      sayAfterReload('settings.restore_done', { file, n: number(restored.customers), previous: restored.previous ?? '' });
      window.location.reload();
    } catch (e) {
      toast(e.code === 'locked' ? t('unlock.wrong') : errorText(e), 'error');
    } finally {
      restore.disabled = false;
    }
  });
  return h('div', {}, status, h('div', { class: 'actions' }, backup, restore), result,
    h('label', { class: 'field backup-remind' }, h('span', {}, t('backup.remind')), remind));
}

/** The audit trail's chain checked on demand, said in the window's language. */
function auditCheck() {
  const result = h('p', { id: 'audit-result', role: 'status' });
  const check = h('button', { id: 'verify-audit' }, t('settings.audit.check'));
  check.addEventListener('click', async () => {
    check.disabled = true;
    result.replaceChildren();
    try {
      const v = await api.verifyAuditTrail();
      const b = v.broken;
      result.className = b ? 'error' : '';
      result.textContent = b
        ? t(`settings.audit.${b.kind}`, { row: number(b.row), next: number(b.next) })
        : t('settings.audit.intact', { n: number(v.rows) });
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      check.disabled = false;
    }
  });
  return h('div', {}, h('h2', {}, t('settings.audit.title')), h('p', {}, t('settings.audit.explain')),
    h('div', { class: 'actions' }, check), result);
}

export function mount(root) {
  const slot = h('div');
  const path = h('code', { id: 'db-path' });
  api.status().then((s) => { path.textContent = s.db_path; });
  const show = h('button', { id: 'show-recovery' }, t('settings.show_key'));
  show.addEventListener('click', async () => {
    if (!(await confirmDialog(t('settings.show_key_confirm'), t('settings.show_key')))) return;
    const key = await api.recoveryKey();
    slot.replaceChildren(recoveryKeyPanel(key));
  });
  root.append(
    h('section', { class: 'card narrow' },
      h('h1', {}, t('nav.settings')),
      h('h2', {}, t('settings.storage')),
      h('p', {}, t('settings.storage_explain')),
      h('p', {}, path),
      backupActions(),
      auditCheck(),
      h('h2', {}, t('settings.recovery')),
      h('p', {}, t('settings.recovery_explain')),
      show,
      slot,
    ),
    letterheadForm(),
    mailCard(),
    riskForm(),
    ratesCard(),
  );
}

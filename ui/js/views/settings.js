// Settings: where the data lives and the recovery key (shown after confirming).

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { confirmDialog } from '../dialog.js';
import { toast } from '../app.js';
import { recoveryKeyPanel } from './recovery-key.js';

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
      toast(e.message, 'error');
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
      if (k === 'letterhead.logo') logoState.textContent = v ? `${t('settings.logo_set')} (${v})` : t('settings.logo_none');
      else if (controls[k]) controls[k].value = k === 'paper' ? (v || 'a4') : v;
    }
  });
  const save = h('button', { class: 'primary', id: 'save-letterhead' }, t('common.save'));
  save.addEventListener('click', async () => {
    try {
      await api.saveLetterhead(Object.entries(controls).map(([k, c]) => [k, c.value]));
      toast(t('customer.saved'));
    } catch (e) {
      toast(e.message, 'error');
    }
  });
  return h('section', { class: 'card narrow' }, h('h2', {}, t('settings.letterhead')), h('p', { class: 'muted' }, t('settings.letterhead_explain')), grid, h('div', { class: 'actions' }, save));
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
      h('h2', {}, t('settings.recovery')),
      h('p', {}, t('settings.recovery_explain')),
      show,
      slot,
    ),
    letterheadForm(),
  );
}

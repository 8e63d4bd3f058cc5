// Settings: the SMTP server letters are sent through. The password goes to the OS keychain
// (Rust files it there); the page only knows whether one is filed.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { toast } from '../shell.js';
import { errorText } from '../errors.js';

/** @type {Array<[string, string]>} */
const FIELDS = [['host', 'text'], ['port', 'text'], ['user', 'text'], ['from', 'email'], ['ca_file', 'text']];

export function mailCard() {
  /** @type {Record<string, HTMLInputElement>} */
  const controls = {};
  const grid = h('div', { class: 'form-grid' });
  for (const [key, type] of FIELDS) {
    controls[key] = /** @type {HTMLInputElement} */ (h('input', { id: `mail-${key}`, type, autocomplete: 'off' }));
    grid.append(h('label', { class: 'field' }, h('span', {}, t(`settings.mail.${key}`)), controls[key]));
  }
  const security = /** @type {HTMLSelectElement} */ (h('select', { id: 'mail-security' },
    ...['starttls', 'tls', 'none'].map((s) => h('option', { value: s }, t(`settings.mail.security_${s}`)))));
  grid.append(h('label', { class: 'field' }, h('span', {}, t('settings.mail.security')), security));
  const password = /** @type {HTMLInputElement} */ (h('input', { id: 'mail-password', type: 'password', autocomplete: 'new-password' }));
  const passwordState = h('span', { class: 'muted', id: 'mail-password-state' });
  grid.append(h('label', { class: 'field' }, h('span', {}, t('settings.mail.password')), password, passwordState));

  /** @param {{settings: any, has_password: boolean}} m */
  const show = (m) => {
    const s = m.settings;
    controls.host.value = s?.host ?? '';
    controls.port.value = s ? String(s.port) : '587';
    controls.user.value = s?.user ?? '';
    controls.from.value = s?.from ?? '';
    controls.ca_file.value = s?.ca_file ?? '';
    security.value = s?.security ?? 'starttls';
    password.value = '';
    passwordState.textContent = m.has_password ? t('settings.mail.password_filed') : '';
  };
  api.mailSettings().then(show).catch((e) => toast(errorText(e), 'error'));

  const save = h('button', { class: 'primary', id: 'save-mail' }, t('common.save'));
  save.addEventListener('click', async () => {
    try {
      const input = {
        host: controls.host.value, port: controls.port.value, security: security.value,
        user: controls.user.value, from: controls.from.value, ca_file: controls.ca_file.value,
      };
      show(await api.saveMailSettings(input, password.value));
      toast(t('customer.saved'));
    } catch (e) {
      toast(errorText(e), 'error');
    }
  });

  const testTo = /** @type {HTMLInputElement} */ (h('input', { id: 'mail-test-to', type: 'email', placeholder: 'me@example.com' }));
  const testResult = h('p', { class: 'muted', id: 'mail-test-result' });
  const test = h('button', { id: 'mail-test' }, t('settings.mail.test'));
  test.addEventListener('click', async () => {
    testResult.textContent = t('settings.mail.testing');
    try {
      const reply = await api.sendTestMail(testTo.value);
      testResult.textContent = t('settings.mail.test_sent', { reply });
    } catch (e) {
      testResult.textContent = errorText(e);
    }
  });

  return h('section', { class: 'card narrow', id: 'mail-settings' },
    h('h2', {}, t('settings.mail.title')),
    h('p', { class: 'muted' }, t('settings.mail.explain')),
    grid,
    h('div', { class: 'actions' }, save),
    h('h3', {}, t('settings.mail.test_title')),
    h('div', { class: 'actions' }, testTo, test),
    testResult);
}

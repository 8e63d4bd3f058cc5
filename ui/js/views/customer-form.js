// Create or edit a customer. Field errors from Rust are shown next to their fields.

import { api } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { reference, toast } from '../app.js';
import { formDialog } from '../dialog.js';

const EMPTY = {
  legal_name: '', tenant_id: '', primary_domain: '', country: 'TW', address: '', contact_name: '',
  phone: '', email: '', tax_id: '', currency: 'TWD', language: 'zh-TW', payment_terms_days: '30',
  credit_limit: '0', payment_instrument: 'bank_transfer', card_present: false, admin_access: 'none',
  status: 'prospect', notes: '',
};

function select(name, options, labelPrefix) {
  return h('select', { name, id: `f-${name}` },
    options.map((o) => h('option', { value: o }, labelPrefix ? t(`${labelPrefix}.${o}`) : o)));
}

export function mount(root, { id, prefill = {} }) {
  let alive = true;
  const errors = {};
  const controls = {};
  const fields = [
    ['legal_name', h('input', { name: 'legal_name', id: 'f-legal_name', required: true, maxlength: 200 })],
    ['tenant_id', h('input', { name: 'tenant_id', id: 'f-tenant_id', placeholder: '00000000-0000-0000-0000-000000000000', spellcheck: 'false' })],
    ['primary_domain', h('input', { name: 'primary_domain', id: 'f-primary_domain', placeholder: 'contoso.onmicrosoft.com', spellcheck: 'false' })],
    ['country', h('input', { name: 'country', id: 'f-country', maxlength: 2, size: 3 })],
    ['address', h('textarea', { name: 'address', id: 'f-address', rows: 2 })],
    ['contact_name', h('input', { name: 'contact_name', id: 'f-contact_name' })],
    ['phone', h('input', { name: 'phone', id: 'f-phone', type: 'tel' })],
    ['email', h('input', { name: 'email', id: 'f-email', type: 'text', inputmode: 'email' })],
    ['tax_id', h('input', { name: 'tax_id', id: 'f-tax_id' })],
    ['currency', select('currency', reference.currencies)],
    ['language', select('language', reference.languages, 'language')],
    ['payment_terms_days', h('input', { name: 'payment_terms_days', id: 'f-payment_terms_days', inputmode: 'numeric', size: 5 })],
    ['credit_limit', h('input', { name: 'credit_limit', id: 'f-credit_limit', inputmode: 'decimal' })],
    ['payment_instrument', select('payment_instrument', reference.payment_instruments, 'instrument')],
    ['card_present', h('input', { name: 'card_present', id: 'f-card_present', type: 'checkbox' })],
    ['admin_access', select('admin_access', reference.admin_access, 'admin')],
    ['status', select('status', reference.statuses, 'status')],
    ['notes', h('textarea', { name: 'notes', id: 'f-notes', rows: 3 })],
  ];
  const grid = h('div', { class: 'form-grid' });
  for (const [name, control] of fields) {
    controls[name] = control;
    errors[name] = h('span', { class: 'field-error', id: `e-${name}`, role: 'alert' });
    grid.append(h('label', { class: `field field-${name}` },
      h('span', {}, t(`field.${name}`)), control, errors[name]));
  }
  const formError = h('p', { class: 'error', id: 'form-error', hidden: true });
  const save = h('button', { class: 'primary', type: 'submit', id: 'save-customer' }, t('common.save'));
  const cancel = h('a', { class: 'button', href: id ? `#/customers/${id}` : '#/customers' }, t('common.cancel'));
  const form = h('form', { class: 'card', id: 'customer-form', novalidate: true },
    h('h1', {}, id ? t('customer.edit') : t('customers.new')), grid, formError,
    h('div', { class: 'actions' }, save, cancel));

  const fill = (v) => {
    for (const [name, control] of Object.entries(controls)) {
      if (control.type === 'checkbox') control.checked = !!v[name];
      else control.value = v[name] ?? '';
    }
  };
  const read = () => {
    const out = {};
    for (const [name, control] of Object.entries(controls)) {
      out[name] = control.type === 'checkbox' ? control.checked : control.value;
    }
    return out;
  };

  /** Asks for the reason to override an onboarding refusal; null when the user declines. */
  async function askOverride(message) {
    const v = await formDialog(t('onboarding.override_title'), h('div', {},
      h('p', { class: 'error', id: 'override-refusal' }, message),
      h('label', {}, t('onboarding.override_reason'), h('textarea', { name: 'reason', id: 'override-reason', rows: 3, cols: 50 }))),
    t('onboarding.override'), (vals) => (vals.reason.trim() ? null : t('onboarding.reason_required')));
    return v ? v.reason : null;
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    for (const e of Object.values(errors)) e.textContent = '';
    formError.hidden = true;
    save.disabled = true;
    let overrideReason = null;
    try {
      let saved = null;
      for (;;) {
        try {
          saved = id ? await api.updateCustomer(id, read(), overrideReason) : await api.createCustomer(read(), overrideReason);
          break;
        } catch (e) {
          // A refusal the guidance allows to override: ask why, then try again with it.
          const refusal = e.fields?.find((f) => f.code === 'override_possible');
          if (!refusal || overrideReason) throw e;
          overrideReason = await askOverride(refusal.message);
          if (!overrideReason) throw e;
        }
      }
      toast(t('customer.saved'));
      location.hash = `#/customers/${saved.id}`;
    } catch (e) {
      save.disabled = false;
      if (e.code === 'validation' && e.fields.length) {
        for (const f of e.fields) {
          const slot = errors[f.field];
          const text = t(`error.${f.code}`) !== `error.${f.code}` ? t(`error.${f.code}`) : f.message;
          if (slot) slot.textContent = text;
          else { formError.textContent = text; formError.hidden = false; }
        }
        controls[e.fields[0].field]?.focus();
      } else {
        formError.textContent = e.message;
        formError.hidden = false;
      }
    }
  });

  root.append(form);
  if (id) {
    api.getCustomer(id).then((d) => { if (alive) fill(d.form); }).catch((e) => toast(e.message, 'error'));
  } else {
    // A customer made from a tenant seen in a usage file starts with its name, id and domain.
    fill({ ...EMPTY, ...prefill });
  }
  controls.legal_name.focus();
  return () => { alive = false; };
}

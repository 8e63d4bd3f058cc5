// Create or edit a customer. A new customer is made through a wizard that walks the
// onboarding guidance step by step (company, contact, payment, access, the checklist,
// review); the checks done are recorded with the customer, so an active customer needs
// no override when they are complete. Field errors from Rust are shown next to their
// fields, on the step that holds them.

import { api } from '../api.js';
import { h } from '../dom.js';
import { country, labelled, listText, t } from '../i18n.js';
import { reference, toast } from '../shell.js';
import { formDialog } from '../dialog.js';
import { errorText, fieldText, problemText } from '../errors.js';

const EMPTY = {
  legal_name: '', tenant_id: '', primary_domain: '', country: 'TW', address: '', contact_name: '',
  phone: '', email: '', tax_id: '', currency: 'TWD', language: 'zh-TW', payment_terms_days: '30',
  credit_limit: '0', payment_instrument: 'bank_transfer', card_present: false, admin_access: 'none',
  status: 'prospect', notes: '', virtual_account: '', payer_names: '', billing_email: '',
};

/** The wizard's steps and the fields on each. @type {Array<[string, string[]]>} */
const STEPS = [
  ['company', ['legal_name', 'tenant_id', 'primary_domain', 'country', 'address', 'tax_id']],
  ['contact', ['contact_name', 'phone', 'email', 'billing_email', 'language']],
  ['payment', ['currency', 'payment_terms_days', 'credit_limit', 'payment_instrument', 'card_present',
    'virtual_account', 'payer_names']],
  ['access', ['admin_access', 'status', 'notes']],
  ['checks', []],
  ['review', []],
];

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
    ['country', h('input', { name: 'country', id: 'f-country', maxlength: 60, size: 14, spellcheck: 'false' })],
    ['address', h('textarea', { name: 'address', id: 'f-address', rows: 2 })],
    ['contact_name', h('input', { name: 'contact_name', id: 'f-contact_name' })],
    ['phone', h('input', { name: 'phone', id: 'f-phone', type: 'tel' })],
    ['email', h('input', { name: 'email', id: 'f-email', type: 'text', inputmode: 'email' })],
    ['billing_email', h('input', { name: 'billing_email', id: 'f-billing_email', type: 'text', inputmode: 'email', placeholder: t('field.billing_email_hint') })],
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
    ['virtual_account', h('input', { name: 'virtual_account', id: 'f-virtual_account', inputmode: 'numeric', spellcheck: 'false', maxlength: 30 })],
    ['payer_names', h('input', { name: 'payer_names', id: 'f-payer_names', placeholder: t('field.payer_names_hint') })],
  ];
  const labels = {};
  for (const [name, control] of fields) {
    controls[name] = control;
    errors[name] = h('span', { class: 'field-error', id: `e-${name}`, role: 'alert' });
    labels[name] = h('label', { class: `field field-${name}` },
      h('span', {}, t(`field.${name}`)), control, errors[name]);
  }
  const formError = h('p', { class: 'error', id: 'form-error', hidden: true });
  const save = h('button', { class: 'primary', type: 'submit', id: 'save-customer' }, t('common.save'));
  const cancel = h('a', { class: 'button', href: id ? `#/customers/${id}` : '#/customers' }, t('common.cancel'));
  const wizard = id ? null : makeWizard();
  const body = wizard ? wizard.body : h('div', { class: 'form-grid' }, fields.map(([name]) => labels[name]));
  const form = h('form', { class: 'card', id: 'customer-form', novalidate: true },
    h('h1', {}, id ? t('customer.edit') : t('customers.new')), body, formError,
    h('div', { class: 'actions' }, wizard ? wizard.back : null, wizard ? wizard.next : null, save, cancel));

  /** The steps, the checklist and the review, with Back and Next. */
  function makeWizard() {
    let step = 0;
    const marks = h('ol', { class: 'wizard-steps', id: 'wizard-steps' },
      STEPS.map(([key], i) => h('li', { dataset: { step: i } }, t(`wizard.${key}`))));
    const doneBy = h('input', { id: 'w-done-by', name: 'w_done_by' });
    const doneOn = h('input', { id: 'w-done-on', type: 'date', value: reference.today });
    const checks = {};
    const refs = {};
    const checklist = h('div', { class: 'wizard-checks' },
      h('div', { class: 'form-grid' },
        h('label', { class: 'field' }, h('span', {}, t('check.done_by')), doneBy),
        h('label', { class: 'field' }, h('span', {}, t('check.done_on')), doneOn)),
      reference.onboarding_items.map((item) => {
        checks[item] = h('input', { type: 'checkbox', id: `w-check-${item}` });
        refs[item] = item === 'credit_check' ? h('input', { id: `w-ref-${item}`, placeholder: t('check.reference') }) : null;
        return h('div', { class: 'check-choice' }, h('label', {}, checks[item], ' ', t(`check.${item}`)), refs[item]);
      }));
    const review = h('div', { id: 'wizard-review' });
    const sections = STEPS.map(([key, names], i) => h('fieldset', { class: 'wizard-step', dataset: { step: key }, hidden: i !== 0 },
      h('p', { class: 'muted guidance' }, t(`wizard.${key}_guidance`)),
      key === 'checks' ? checklist : key === 'review' ? review : h('div', { class: 'form-grid' }, names.map((n) => labels[n]))));
    const back = h('button', { type: 'button', id: 'wizard-back' }, t('wizard.back'));
    const next = h('button', { type: 'button', class: 'primary', id: 'wizard-next' }, t('common.next'));
    const show = (i) => {
      step = Math.max(0, Math.min(STEPS.length - 1, i));
      sections.forEach((sec, k) => { sec.hidden = k !== step; });
      [...marks.children].forEach((li, k) => li.classList.toggle('current', k === step));
      back.disabled = step === 0;
      next.hidden = step === STEPS.length - 1;
      save.hidden = step !== STEPS.length - 1;
      if (STEPS[step][0] === 'review') fillReview();
    };
    const chosen = () => reference.onboarding_items.filter((item) => checks[item].checked);
    const fillReview = () => {
      const v = read();
      const missing = reference.onboarding_items.filter((item) => !checks[item].checked
        && (item !== 'card_fraud_check' || /card/.test(String(v.payment_instrument))));
      review.replaceChildren(
        h('p', {}, h('strong', {}, String(v.legal_name || '—')), ` · ${country(v.country)} · ${v.currency} · ${t(`status.${v.status}`)}`),
        h('p', {}, `${labelled(t('field.payment_instrument'), t(`instrument.${v.payment_instrument}`))} · ${labelled(t('field.admin_access'), t(`admin.${v.admin_access}`))}`),
        missing.length
          ? h('p', { class: 'error', id: 'wizard-missing' }, t('wizard.missing', { list: listText(missing.map((m) => t(`check.${m}`))) }))
          : h('p', { class: 'ok', id: 'wizard-missing' }, t('wizard.all_checks')));
    };
    back.addEventListener('click', () => show(step - 1));
    next.addEventListener('click', () => {
      if (step === 0 && !controls.legal_name.value.trim()) {
        errors.legal_name.textContent = t('error.required');
        controls.legal_name.focus();
        return;
      }
      if (STEPS[step][0] === 'checks' && chosen().length && !doneBy.value.trim()) {
        formError.textContent = t('error.done_by_required');
        formError.hidden = false;
        doneBy.focus();
        return;
      }
      formError.hidden = true;
      show(step + 1);
    });
    /** Shows the step that holds `field`. */
    const reveal = (name) => {
      const i = STEPS.findIndex(([, names]) => names.includes(name));
      if (i >= 0) show(i);
    };
    const checkInputs = () => chosen().map((item) => ({
      item, done_on: doneOn.value, done_by: doneBy.value.trim(), reference: refs[item]?.value.trim() ?? '', note: '',
    }));
    return { body: h('div', {}, marks, sections), back, next, show, reveal, checkInputs };
  }

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
    // Enter in a field of the wizard goes to the next step; only the last step saves.
    if (wizard && !wizard.next.hidden) {
      wizard.next.click();
      return;
    }
    for (const e of Object.values(errors)) e.textContent = '';
    formError.hidden = true;
    save.disabled = true;
    let overrideReason = null;
    try {
      let saved = null;
      for (;;) {
        try {
          saved = id ? await api.updateCustomer(id, read(), overrideReason)
            : await api.createCustomer(read(), overrideReason, wizard?.checkInputs() ?? []);
          break;
        } catch (e) {
          // A refusal the guidance allows to override: ask why, then try again with it.
          const refusal = e.fields?.find((f) => f.params?.overridable === 'yes');
          if (!refusal || overrideReason) throw e;
          overrideReason = await askOverride(problemText(refusal));
          if (!overrideReason) throw e;
        }
      }
      toast(t('customer.saved'));
      location.hash = `#/customers/${saved.id}`;
    } catch (e) {
      save.disabled = false;
      if (e.code === 'validation' && e.fields.length) {
        wizard?.reveal(e.fields[0].field);
        for (const f of e.fields) {
          const slot = errors[f.field];
          if (slot) slot.textContent = problemText(f);
          else { formError.textContent = fieldText(f); formError.hidden = false; }
        }
        controls[e.fields[0].field]?.focus();
      } else {
        formError.textContent = errorText(e);
        formError.hidden = false;
      }
    }
  });

  root.append(form);
  if (id) {
    api.getCustomer(id).then((d) => { if (alive) fill(d.form); }).catch((e) => toast(errorText(e), 'error'));
  } else {
    // A customer made from a tenant seen in a usage file starts with its name, id and domain.
    fill({ ...EMPTY, ...prefill });
    wizard?.show(0);
  }
  controls.legal_name.focus();
  return () => { alive = false; };
}

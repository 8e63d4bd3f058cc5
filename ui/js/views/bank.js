// Bank: statements in, lines reviewed. A statement is chosen in the system's dialog (CAMT.053,
// MT940, or the bank's CSV export with its columns mapped once per account); each incoming
// line shows what RiskDesk proposes it pays, why, and how sure it is. Nothing is booked until
// the owner accepts, changes or sets a line aside; sure lines can be booked in one step.

import { api } from '../api.js';
import { h } from '../dom.js';
import { date, language, listText, money, number, plainAmount, t } from '../i18n.js';
import { newestRead, perform, reference, savedSaying, toast } from '../shell.js';
import { formDialog } from '../dialog.js';
import { errorText, problemList } from '../errors.js';
import { customerPicker } from '../customer-picker.js';

const ROLES = ['date', 'amount', 'credit', 'debit', 'text', 'payer', 'reference', 'account', 'direction'];
const FORMATS = ['auto', 'camt053', 'mt940', 'csv'];
const DATE_FORMATS = ['iso', 'roc', 'dmy', 'mdy'];
/** The most lines the table shows at once (the newest). */
const SHOWN = 500;

/** A proposal's reasons as one sentence in the window's language. */
function reasonText(p) {
  return p.reasons.map(whyText).join(' · ');
}

/** One reason in the window's language; a value Rust gives in both (`rate_en`, `rate_zh`) in its. */
function whyText(/** @type {{ reason: string, params: Record<string, string> }} */ w) {
  const suffix = language() === 'zh-TW' ? '_zh' : '_en';
  const params = { ...w.params };
  for (const [k, v] of Object.entries(w.params)) {
    if (k.endsWith(suffix)) params[k.slice(0, -suffix.length)] = v;
  }
  return t(`bank.reason.${w.reason}`, params);
}

export function mount(root) {
  let alive = true;
  const read = newestRead();
  let openOnly = true;

  // --- The import card -------------------------------------------------------------------
  const choose = h('button', { id: 'bank-choose', class: 'primary' }, t('bank.choose'));
  const importForm = h('div', { id: 'bank-import-form', hidden: true });
  const importError = h('div', { id: 'bank-import-error' });

  async function chooseFile() {
    importError.replaceChildren();
    try {
      const preview = await api.chooseBankStatement(t('bank.choose'));
      if (!alive || !preview) return;
      showImportForm(preview);
    } catch (e) {
      importError.replaceChildren(problemList(e, 'bank-problems'));
    }
  }
  choose.addEventListener('click', chooseFile);

  function showImportForm(preview) {
    // Several files chosen together (a month of daily statements): the first named, the
    // others counted.
    const files = preview.files ?? [];
    const chosen = files.length > 1 ? t('import.parts', { file: files[0], n: number(files.length - 1) }) : preview.file;
    // A file with the statements of several accounts puts each account's lines in it: no
    // account is chosen for it.
    const several = (preview.accounts_in_file ?? []).length > 1;
    const account = h('input', { id: 'bank-account', list: 'bank-accounts', maxlength: '100',
      value: several ? '' : preview.account_in_file || preview.accounts[0]?.name || '', disabled: several });
    const accounts = h('datalist', { id: 'bank-accounts' }, preview.accounts.map((a) => h('option', { value: a.name })));
    const format = h('select', { id: 'bank-format' },
      FORMATS.map((f) => h('option', { value: f, selected: f === preview.format }, t(`bank.format.${f}`))));
    const mapping = h('div', { id: 'bank-mapping' });
    const rows = preview.rows;
    // The header row is the one with the most filled cells (bank exports begin with notes).
    const header = rows.reduce((best, r) => (r.filter(Boolean).length > best.filter(Boolean).length ? r : best), []);
    const columns = header.map((name, i) => ({ value: name && header.indexOf(name) === i ? name : String(i + 1), label: `${i + 1}: ${name || '—'}` }));
    /** @type {Record<string, HTMLSelectElement>} */
    const roleSelects = {};
    for (const role of ROLES) {
      roleSelects[role] = /** @type {HTMLSelectElement} */ (h('select', { id: `bank-map-${role}` },
        h('option', { value: '' }, '—'), columns.map((c) => h('option', { value: c.value }, c.label))));
    }
    const dateFormat = h('select', { id: 'bank-map-date-format' },
      DATE_FORMATS.map((f) => h('option', { value: f }, t(`bank.date_format.${f}`))));
    const currency = h('select', { id: 'bank-map-currency' },
      reference.currencies.map((c) => h('option', { value: c, selected: c === 'TWD' }, c)));
    /** Lays a stored mapping over the form (the account's, once it has one). */
    const applyMap = (m) => {
      if (!m) return;
      for (const role of ROLES) roleSelects[role].value = m[role] ?? '';
      dateFormat.value = m.date_format;
      currency.value = m.currency;
    };
    const storedMap = () => preview.accounts.find((a) => a.name === account.value.trim())?.csv_map;
    applyMap(storedMap());
    account.addEventListener('change', () => applyMap(storedMap()));
    const sample = h('table', { class: 'grid sample', id: 'bank-sample' },
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
    const isCsv = () => format.value === 'csv' || (format.value === 'auto' && preview.format === 'csv');
    const showMapping = () => { mapping.hidden = !isCsv(); };
    format.addEventListener('change', showMapping);
    mapping.append(
      h('p', { class: 'muted' }, t('bank.map_explain')),
      sample,
      h('div', { class: 'form-grid' },
        ...ROLES.map((role) => h('label', { class: 'field' }, h('span', {}, t(`bank.role.${role}`)), roleSelects[role])),
        h('label', { class: 'field' }, h('span', {}, t('bank.role.date_format')), dateFormat),
        h('label', { class: 'field' }, h('span', {}, t('bank.role.currency')), currency)));
    showMapping();
    const go = h('button', { id: 'bank-import', class: 'primary' }, t('bank.import'));
    go.addEventListener('click', async () => {
      importError.replaceChildren();
      const map = isCsv()
        ? { ...Object.fromEntries(ROLES.map((r) => [r, roleSelects[r].value])), date_format: dateFormat.value, currency: currency.value }
        : null;
      try {
        const s = await api.importBankStatement({ format: format.value, account: account.value.trim(), map });
        toast(t('bank.imported', { file: chosen, added: s.added, known: s.known, outgoing: s.outgoing }));
        importForm.hidden = true;
        await load();
      } catch (e) {
        importError.replaceChildren(problemList(e, 'bank-problems'));
      }
    });
    importForm.replaceChildren(
      h('p', {}, h('strong', { id: 'bank-chosen' }, chosen), ` · ${t(`bank.format.${preview.format}`)}`),
      several && h('p', { class: 'muted', id: 'bank-several' },
        t('bank.several_accounts', { n: number(preview.accounts_in_file.length), accounts: listText(preview.accounts_in_file) })),
      h('div', { class: 'form-grid' },
        h('label', { class: 'field' }, h('span', {}, t('bank.account')), account, accounts),
        h('label', { class: 'field' }, h('span', {}, t('bank.format')), format)),
      mapping,
      h('div', { class: 'actions' }, go));
    importForm.hidden = false;
  }

  // --- The lines card --------------------------------------------------------------------
  const onlyOpen = h('input', { type: 'checkbox', id: 'bank-open-only', checked: true });
  onlyOpen.addEventListener('change', () => { openOnly = onlyOpen.checked; load(); });
  const allSure = h('button', { id: 'bank-accept-sure', class: 'primary' }, t('bank.accept_sure', { n: 0 }));
  const body = h('tbody', { id: 'bank-lines' });
  const empty = h('p', { class: 'muted', id: 'bank-empty', hidden: true }, t('bank.none'));
  const more = h('p', { class: 'muted', id: 'bank-more', hidden: true });
  const table = h('table', { class: 'grid', id: 'bank-table' },
    h('thead', {}, h('tr', {}, ...['date', 'amount', 'from', 'proposal', ''].map((k) => h('th', {}, k ? t(`bank.col.${k}`) : '')))),
    body);

  /** @param {Promise<any>} promise @param {string | ((answer: any) => string)} done */
  const act = (promise, done) => perform(promise, done, load);

  function lineRow(r) {
    const l = r.line;
    const p = r.proposal;
    const out = l.direction === 'debit';
    const amount = h('td', { class: `num${out ? ' out' : ''}` }, `${out ? '−' : ''}${money(l.amount)}`);
    const from = h('td', {}, h('div', {}, l.payer || '—'), h('div', { class: 'muted small' }, l.text), l.to_account ? h('div', { class: 'muted small' }, `→ ${l.to_account}`) : null);
    const actions = h('td', { class: 'line-actions' });
    let what;
    if (p) {
      what = h('td', {},
        h('span', { class: `badge ${p.confidence}`, 'data-confidence': p.confidence }, t(`bank.confidence.${p.confidence}`)), ' ',
        p.customer_name ? h('a', { href: `#/customers/${p.customer_id}` }, p.customer_name) : null,
        p.allocations.length ? h('div', { class: 'small' }, listText(p.allocations.map((a) => `${a.number} ${money(a.amount)}`))) : null,
        p.fee ? h('div', { class: 'small' }, t('bank.fee', { fee: money(p.fee) })) : null,
        p.credit ? h('div', { class: 'small' }, t('bank.credit', { credit: money(p.credit) })) : null,
        h('div', { class: 'muted small' }, reasonText(p)));
      if (p.customer_id) {
        const accept = h('button', { class: 'small primary', 'data-accept': String(l.id) }, t(out ? 'bank.record_sent_back' : 'bank.accept'));
        // A customer billed in another currency: what the line paid in it is asked first.
        const converted = p.reasons.some((w) => w.reason === 'other_currency');
        accept.addEventListener('click', () => (converted ? changeLine(l, p) : act(api.acceptBankLine(l.id), (b) => savedSaying(b?.corrections, t('bank.booked')))));
        actions.append(accept);
      }
      // A line sending a payment back is recorded as the return it proposes or set aside;
      // it pays no invoice, so there is nothing to change.
      if (!out) {
        const change = h('button', { class: 'small', 'data-change': String(l.id) }, t('bank.change'));
        change.addEventListener('click', () => changeLine(l, p));
        actions.append(change);
      }
      const ignore = h('button', { class: 'small link', 'data-ignore': String(l.id) }, t('bank.ignore'));
      ignore.addEventListener('click', () => ignoreLine(l));
      actions.append(ignore);
    } else {
      what = h('td', {}, t(`bank.status.${l.status}`),
        l.booked_to ? h('span', {}, ' · ', h('a', { href: `#/customers/${l.booked_to.id}` }, l.booked_to.name)) : null,
        l.note ? h('div', { class: 'muted small' }, l.note) : null);
    }
    return h('tr', { dataset: { line: String(l.id) } }, h('td', { class: 'day' }, date(l.booked_on)), amount, from, what, actions);
  }

  async function ignoreLine(l) {
    const note = h('input', { name: 'note', id: 'bank-ignore-note', maxlength: '500' });
    const v = await formDialog(t('bank.ignore_title'), h('label', { class: 'field' }, h('span', {}, t('bank.note')), note), t('bank.ignore'));
    if (v) await act(api.ignoreBankLine(l.id, v.note.trim()), t('bank.ignored'));
  }

  /** Another customer, other invoices or amounts, a split, or the rest as credit. */
  async function changeLine(l, p) {
    const picker = customerPicker({
      name: 'customer', id: 'bank-change-customer', empty: '—',
      label: (c) => (c.credit_limit.currency === l.amount.currency ? c.legal_name : `${c.legal_name} (${c.credit_limit.currency})`),
      onChange: () => fill(),
    });
    const customer = picker.select;
    const invoices = h('div', { id: 'bank-change-invoices' });
    const fee = h('input', { type: 'checkbox', name: 'fee', id: 'bank-change-fee', value: 'yes', checked: !!p.fee });
    // A customer billed in another currency: the bank converted the transfer, and its advice
    // says what the line paid in the customer's currency.
    const received = h('input', { name: 'received', id: 'bank-change-received', inputmode: 'decimal', size: '14', maxlength: '40' });
    const receivedLabel = h('span', {});
    // What the line is about worth in the proposed customer's currency at a known rate.
    const estimate = p.reasons.find((w) => w.reason === 'converted_estimate');
    const estimateText = h('small', { class: 'muted', id: 'bank-change-estimate' });
    const receivedField = h('label', { class: 'field', hidden: true }, receivedLabel, received,
      h('small', { class: 'muted' }, t('bank.received_hint', { amount: money(l.amount) })), estimateText);
    const otherCurrency = () => {
      const c = picker.chosen()?.credit_limit.currency;
      return c && c !== l.amount.currency ? c : null;
    };
    const fill = async () => {
      invoices.replaceChildren();
      const other = otherCurrency();
      receivedField.hidden = !other;
      receivedLabel.textContent = other ? t('bank.received_in', { currency: other }) : '';
      estimateText.textContent = estimate && Number(customer.value) === p.customer_id ? ` ${whyText(estimate)}` : '';
      if (!customer.value) return;
      const open = await api.openInvoices(Number(customer.value));
      for (const inv of open) {
        const proposed = p.customer_id === Number(customer.value) ? p.allocations.find((a) => a.invoice_id === inv.invoice_id) : null;
        invoices.append(h('label', { class: 'field inline' },
          h('span', {}, `${inv.number} · ${date(inv.due_on)} · ${money(inv.owed)}`),
          h('input', { name: `inv-${inv.invoice_id}`, id: `bank-alloc-${inv.invoice_id}`, inputmode: 'decimal', size: '12',
            value: proposed ? plainAmount(proposed.amount) : '', placeholder: '0' })));
      }
      if (!open.length) invoices.append(h('p', { class: 'muted' }, t('bank.no_open_invoices')));
    };
    await picker.load(p.customer_id, p.customer_name ?? '');
    await fill();
    const body = h('div', {},
      h('p', {}, `${date(l.booked_on)} · ${money(l.amount)} · ${l.payer} ${l.text}`),
      h('label', { class: 'field' }, h('span', {}, t('bank.customer')), picker.element),
      receivedField,
      h('p', { class: 'muted' }, t('bank.split_explain')),
      invoices,
      h('label', { class: 'check' }, fee, ' ', t('bank.write_off_fee')));
    for (;;) {
      const v = await formDialog(t('bank.change_title'), body, t('bank.book'), (vals) => (vals.customer ? null : t('bank.choose_customer')));
      if (!v) return;
      const allocations = Object.entries(v)
        .filter(([k, val]) => k.startsWith('inv-') && val.trim() !== '')
        .map(([k, val]) => ({ invoice_id: Number(k.slice(4)), amount: val.trim() }));
      try {
        const booked = await api.confirmBankLine(l.id, {
          customer_id: Number(v.customer), allocations, write_off_fee: v.fee === 'yes',
          received: otherCurrency() ? v.received.trim() : null,
        });
        toast(savedSaying(booked?.corrections, t('bank.booked')));
        await load();
        return;
      } catch (e) {
        toast(errorText(e), 'error');
      }
    }
  }

  allSure.addEventListener('click', () => act(api.acceptSureBankLines(),
    (all) => savedSaying((all ?? []).flatMap((b) => b.corrections ?? []), t('bank.booked'))));

  // --- The tolerance a wire fee may take off a payment -----------------------------------
  const tolerance = h('input', { id: 'bank-tolerance', spellcheck: 'false', maxlength: '500', placeholder: 'TWD 30; USD 15' });
  const saveTolerance = h('button', { id: 'bank-tolerance-save' }, t('common.save'));
  const toleranceError = h('p', { class: 'error', id: 'bank-tolerance-error' });
  saveTolerance.addEventListener('click', async () => {
    toleranceError.textContent = '';
    try {
      tolerance.value = await api.setBankFeeTolerance(tolerance.value.trim());
      toast(t('customer.saved'));
      await load();
    } catch (e) {
      toleranceError.textContent = errorText(e);
    }
  });
  api.bankFeeTolerance().then((v) => { tolerance.value = v; }).catch((e) => toast(errorText(e), 'error'));

  async function load() {
    const newest = read();
    const reviews = await api.bankLines(openOnly);
    if (!alive || !newest()) return;
    // A year of statements is thousands of lines: the newest are shown, and how many.
    body.replaceChildren(...reviews.slice(0, SHOWN).map(lineRow));
    more.hidden = reviews.length <= SHOWN;
    more.textContent = t('bank.more', { shown: SHOWN, total: reviews.length });
    empty.hidden = reviews.length > 0;
    table.hidden = reviews.length === 0;
    const sure = reviews.filter((r) => r.proposal?.confidence === 'sure').length;
    allSure.textContent = t('bank.accept_sure', { n: sure });
    allSure.disabled = sure === 0;
  }

  root.append(
    h('h1', {}, t('bank.title')),
    h('section', { class: 'card', id: 'bank-import-card' },
      h('h2', {}, t('bank.import_title')),
      h('p', { class: 'muted' }, t('bank.import_explain')),
      h('div', { class: 'actions' }, choose), importForm, importError),
    h('section', { class: 'card', id: 'bank-lines-card' },
      h('h2', {}, t('bank.lines_title')),
      h('div', { class: 'actions' }, h('label', { class: 'check' }, onlyOpen, ' ', t('bank.open_only')), allSure),
      empty, table, more),
    h('section', { class: 'card', id: 'bank-tolerance-card' },
      h('h2', {}, t('bank.tolerance_title')),
      h('label', { class: 'field short' }, h('span', {}, t('settings.bank_fee_tolerance')), tolerance),
      h('p', { class: 'muted' }, t('settings.bank_fee_tolerance_hint')),
      toleranceError, h('div', { class: 'actions' }, saveTolerance)));
  load().catch((e) => toast(errorText(e), 'error'));
  return () => { alive = false; };
}

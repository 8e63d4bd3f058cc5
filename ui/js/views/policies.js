// Collection policies: a name, a grace period, a minimum overdue amount and ordered
// levels, each with its day, names, actions, charges and letter texts in both languages.

import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { aside, exponent, t } from '../i18n.js';
import { newestRead, reference, toast } from '../shell.js';
import { errorText } from '../errors.js';

const ACTIONS = ['reminder_letter', 'formal_notice', 'phone_call', 'suspend', 'final_notice', 'agency'];

function blankLevel(days) {
  return { id: 0, seq: 0, days_after_due: days, name_en: '', name_zh: '', actions: ['reminder_letter'], letter_en: '', letter_zh: '', late_fees: [], interest_bp: 0,
    email_subject_en: '', email_subject_zh: '', email_body_en: '', email_body_zh: '' };
}

/** Money in minor units as the text a person types ("1500.5" stays exact: no floats). */
function majorText(m) {
  if (typeof m.text === 'string') return m.text;
  const digits = exponent(m.currency);
  const neg = m.minor < 0;
  const s = String(Math.abs(m.minor)).padStart(digits + 1, '0');
  const text = digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
  return neg ? `-${text}` : text;
}

/** Basis points as percent text ("1000" -> "10.00"), without floating point. */
function rateText(bp) {
  return `${Math.trunc(bp / 100)}.${String(bp % 100).padStart(2, '0')}`;
}

/**
 * Editable amounts, one per currency: rows of (currency select, amount text).
 * Returns the element and a function giving [{currency, amount}] as typed.
 */
function amountsEditor(list, id) {
  const rows = h('div', { class: 'amounts', id });
  const controls = [];
  function addRow(currency, amount) {
    const sel = h('select', { class: 'amount-currency' }, reference.currencies.map((c) => h('option', { value: c, selected: c === currency }, c)));
    const txt = h('input', { value: amount, inputmode: 'decimal', class: 'amount-value' });
    const row = h('div', { class: 'amount-row' }, sel, txt);
    controls.push({ sel, txt });
    rows.append(row);
  }
  for (const m of list) addRow(m.currency, majorText(m));
  const add = h('button', { class: 'small link' }, t('policy.add_currency'));
  add.addEventListener('click', () => addRow(reference.currencies[0], ''));
  return [h('div', {}, rows, add), () => controls.map((c) => ({ currency: c.sel.value, amount: c.txt.value }))];
}

export function mount(root) {
  let alive = true;
  const read = newestRead();
  let policies = [];
  let current = null;
  const list = h('ul', { class: 'policy-list', id: 'policy-list' });
  const editor = h('div', { id: 'policy-editor' });

  function input(label, value, attrs = {}) {
    const el = h(attrs.multiline ? 'textarea' : 'input', { value, ...attrs, multiline: undefined });
    return [h('label', { class: 'field' }, h('span', {}, label), el), el];
  }

  function renderEditor() {
    clear(editor);
    if (!current) return;
    const p = current;
    const [nameF, name] = input(t('policy.name'), p.name, { id: 'policy-name' });
    const [graceF, grace] = input(t('policy.grace'), String(p.grace_days), { inputmode: 'numeric', id: 'policy-grace' });
    const [minBox, minValues] = amountsEditor(p.min_overdue, 'policy-min');
    const minF = h('div', { class: 'field' }, h('span', {}, t('policy.min_overdue')), minBox);
    const levels = h('div', { id: 'policy-levels' });
    const levelControls = [];
    p.levels.forEach((lv, i) => {
      const [daysF, days] = input(t('policy.days'), String(lv.days_after_due), { inputmode: 'numeric', class: 'level-days' });
      const [enF, en] = input(t('policy.name_en'), lv.name_en);
      const [zhF, zh] = input(t('policy.name_zh'), lv.name_zh);
      const [feeBox, fees] = amountsEditor(lv.late_fees, `level-fees-${i}`);
      const feeF = h('div', { class: 'field' }, h('span', {}, t('policy.fee')), feeBox);
      const [rateF, rate] = input(t('policy.interest'), lv.interest_text ?? rateText(lv.interest_bp), { inputmode: 'decimal', class: 'level-rate' });
      const [lenF, len] = input(t('policy.letter_en'), lv.letter_en, { multiline: true, rows: 3 });
      const [lzhF, lzh] = input(t('policy.letter_zh'), lv.letter_zh, { multiline: true, rows: 3 });
      // The e-mail the letter goes with; empty: the built-in one (shown as the placeholder).
      const [sEnF, sEn] = input(t('policy.email_subject_en'), lv.email_subject_en ?? '', { placeholder: reference.email_defaults.subject_en });
      const [sZhF, sZh] = input(t('policy.email_subject_zh'), lv.email_subject_zh ?? '', { placeholder: reference.email_defaults.subject_zh });
      const [bEnF, bEn] = input(t('policy.email_body_en'), lv.email_body_en ?? '', { multiline: true, rows: 3, placeholder: reference.email_defaults.body_en });
      const [bZhF, bZh] = input(t('policy.email_body_zh'), lv.email_body_zh ?? '', { multiline: true, rows: 3, placeholder: reference.email_defaults.body_zh });
      const boxes = ACTIONS.map((a) => h('input', { type: 'checkbox', value: a, checked: lv.actions.includes(a) }));
      const remove = h('button', { class: 'small link' }, t('policy.remove_level'));
      remove.addEventListener('click', () => { collect(); current.levels.splice(i, 1); renderEditor(); });
      levelControls.push({ id: lv.id, days, en, zh, fees, rate, len, lzh, sEn, sZh, bEn, bZh, boxes });
      levels.append(h('div', { class: 'card level-card' },
        h('div', { class: 'page-head' }, h('h3', {}, t('policy.level', { n: i + 1 })), remove),
        h('div', { class: 'form-grid' }, daysF, h('div'), enF, zhF, feeF, rateF),
        h('div', { class: 'action-boxes' }, boxes.map((b, k) => h('label', {}, b, ' ', t(`action.${ACTIONS[k]}`)))),
        h('p', { class: 'muted small' }, t('policy.placeholders')),
        h('div', { class: 'form-grid' }, lenF, lzhF),
        h('details', { class: 'level-email' }, h('summary', {}, t('policy.email')),
          h('div', { class: 'form-grid' }, sEnF, sZhF, bEnF, bZhF))));
    });
    // What is typed stays text: Rust parses days, amounts and rates exactly.
    function typed() {
      return {
        id: current.id,
        name: name.value,
        grace_days: grace.value,
        min_overdue: minValues(),
        levels: levelControls.map((c) => ({
          id: c.id,
          days_after_due: c.days.value,
          name_en: c.en.value,
          name_zh: c.zh.value,
          actions: c.boxes.filter((b) => b.checked).map((b) => b.value),
          letter_en: c.len.value,
          letter_zh: c.lzh.value,
          late_fees: c.fees(),
          interest: c.rate.value,
          email_subject_en: c.sEn.value,
          email_subject_zh: c.sZh.value,
          email_body_en: c.bEn.value,
          email_body_zh: c.bZh.value,
        })),
      };
    }
    // Keeps what was typed when levels are added or removed (display only).
    function collect() {
      const x = typed();
      current = {
        ...current,
        name: x.name,
        grace_days: x.grace_days,
        min_overdue: x.min_overdue.filter((a) => a.amount.trim()).map((a) => ({ currency: a.currency, minor: null, text: a.amount })),
        levels: x.levels.map((l, i) => ({
          ...current.levels[i],
          id: l.id,
          days_after_due: l.days_after_due,
          name_en: l.name_en,
          name_zh: l.name_zh,
          actions: l.actions,
          letter_en: l.letter_en,
          letter_zh: l.letter_zh,
          email_subject_en: l.email_subject_en,
          email_subject_zh: l.email_subject_zh,
          email_body_en: l.email_body_en,
          email_body_zh: l.email_body_zh,
          late_fees: l.late_fees.filter((a) => a.amount.trim()).map((a) => ({ currency: a.currency, minor: null, text: a.amount })),
          interest_text: l.interest,
        })),
      };
    }
    const add = h('button', {}, t('policy.add_level'));
    add.addEventListener('click', () => {
      collect();
      const last = current.levels.at(-1)?.days_after_due ?? 0;
      current.levels.push(blankLevel(last + 15));
      renderEditor();
    });
    const error = h('p', { class: 'error', id: 'policy-error', hidden: true });
    const save = h('button', { class: 'primary', id: 'save-policy' }, t('common.save'));
    save.addEventListener('click', async () => {
      try {
        const saved = await api.savePolicy(typed());
        toast(t('customer.saved'));
        await load(saved.id);
      } catch (e) {
        error.textContent = errorText(e);
        error.hidden = false;
      }
    });
    editor.append(h('div', { class: 'card' },
      h('div', { class: 'form-grid' }, nameF, h('div'), graceF, minF),
      h('p', { class: 'muted small' }, t('policy.min_hint'))),
      levels, error, h('div', { class: 'actions' }, add, save));
  }

  function renderList() {
    clear(list);
    for (const p of policies) {
      const b = h('button', { class: `link ${current?.id === p.id ? 'active' : ''}` }, p.is_default ? aside(p.name, t('policy.default')) : p.name);
      b.addEventListener('click', () => { current = structuredClone(p); renderList(); renderEditor(); });
      list.append(h('li', {}, b));
    }
  }

  async function load(select) {
    const newest = read();
    const answer = await api.policies();
    if (!alive || !newest()) return;
    policies = answer;
    current = structuredClone(policies.find((p) => p.id === select) ?? policies[0] ?? null);
    renderList();
    renderEditor();
  }

  const create = h('button', { id: 'new-policy' }, t('policy.new'));
  create.addEventListener('click', () => {
    current = { id: 0, name: '', grace_days: 3, min_overdue: [], is_default: false, levels: [blankLevel(7)] };
    renderList();
    renderEditor();
  });
  root.append(h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('nav.policies')), create),
    h('div', { class: 'policy-layout' }, h('div', { class: 'card' }, list), editor)));
  load().catch((e) => toast(errorText(e), 'error'));
  return () => { alive = false; };
}

// Collection policies: a name, a grace period, a minimum overdue amount and ordered
// levels, each with its day, names, actions, charges and letter texts in both languages.

import { api } from '../api.js';
import { clear, h } from '../dom.js';
import { t } from '../i18n.js';
import { toast } from '../app.js';

const ACTIONS = ['reminder_letter', 'formal_notice', 'phone_call', 'suspend', 'final_notice', 'agency'];

function blankLevel(days) {
  return { seq: 0, days_after_due: days, name_en: '', name_zh: '', actions: ['reminder_letter'], letter_en: '', letter_zh: '', late_fee_minor: 0, interest_bp: 0 };
}

export function mount(root) {
  let alive = true;
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
    const [minF, min] = input(t('policy.min_overdue'), String(p.min_overdue_minor), { inputmode: 'numeric', id: 'policy-min' });
    const levels = h('div', { id: 'policy-levels' });
    const levelControls = [];
    p.levels.forEach((lv, i) => {
      const [daysF, days] = input(t('policy.days'), String(lv.days_after_due), { inputmode: 'numeric', class: 'level-days' });
      const [enF, en] = input(t('policy.name_en'), lv.name_en);
      const [zhF, zh] = input(t('policy.name_zh'), lv.name_zh);
      const [feeF, fee] = input(t('policy.fee'), String(lv.late_fee_minor), { inputmode: 'numeric' });
      const [rateF, rate] = input(t('policy.interest'), (lv.interest_bp / 100).toFixed(2), { inputmode: 'decimal' });
      const [lenF, len] = input(t('policy.letter_en'), lv.letter_en, { multiline: true, rows: 3 });
      const [lzhF, lzh] = input(t('policy.letter_zh'), lv.letter_zh, { multiline: true, rows: 3 });
      const boxes = ACTIONS.map((a) => h('input', { type: 'checkbox', value: a, checked: lv.actions.includes(a) }));
      const remove = h('button', { class: 'small link' }, t('policy.remove_level'));
      remove.addEventListener('click', () => { collect(); current.levels.splice(i, 1); renderEditor(); });
      levelControls.push({ days, en, zh, fee, rate, len, lzh, boxes });
      levels.append(h('div', { class: 'card level-card' },
        h('div', { class: 'page-head' }, h('h3', {}, t('policy.level', { n: i + 1 })), remove),
        h('div', { class: 'form-grid' }, daysF, h('div'), enF, zhF, feeF, rateF),
        h('div', { class: 'action-boxes' }, boxes.map((b, k) => h('label', {}, b, ' ', t(`action.${ACTIONS[k]}`)))),
        h('p', { class: 'muted small' }, t('policy.placeholders')),
        h('div', { class: 'form-grid' }, lenF, lzhF)));
    });
    function collect() {
      current = {
        ...current,
        name: name.value,
        grace_days: Number(grace.value),
        min_overdue_minor: Number(min.value),
        levels: levelControls.map((c, i) => ({
          seq: i + 1,
          days_after_due: Number(c.days.value),
          name_en: c.en.value,
          name_zh: c.zh.value,
          actions: c.boxes.filter((b) => b.checked).map((b) => b.value),
          letter_en: c.len.value,
          letter_zh: c.lzh.value,
          late_fee_minor: Number(c.fee.value),
          interest_bp: Math.round(Number(c.rate.value) * 100),
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
      collect();
      const bad = [current.grace_days, current.min_overdue_minor, ...current.levels.flatMap((l) => [l.days_after_due, l.late_fee_minor, l.interest_bp])].some((n) => !Number.isFinite(n) || !Number.isInteger(n));
      if (bad) { error.textContent = t('policy.numbers'); error.hidden = false; return; }
      try {
        const saved = await api.savePolicy(current);
        toast(t('customer.saved'));
        await load(saved.id);
      } catch (e) {
        error.textContent = e.message;
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
      const b = h('button', { class: `link ${current?.id === p.id ? 'active' : ''}` }, p.name, p.is_default ? ` (${t('policy.default')})` : '');
      b.addEventListener('click', () => { current = structuredClone(p); renderList(); renderEditor(); });
      list.append(h('li', {}, b));
    }
  }

  async function load(select) {
    policies = await api.policies();
    if (!alive) return;
    current = structuredClone(policies.find((p) => p.id === select) ?? policies[0] ?? null);
    renderList();
    renderEditor();
  }

  const create = h('button', { id: 'new-policy' }, t('policy.new'));
  create.addEventListener('click', () => {
    current = { id: 0, name: '', grace_days: 3, min_overdue_minor: 0, is_default: false, levels: [blankLevel(7)] };
    renderList();
    renderEditor();
  });
  root.append(h('section', { class: 'page' },
    h('div', { class: 'page-head' }, h('h1', {}, t('nav.policies')), create),
    h('div', { class: 'policy-layout' }, h('div', { class: 'card' }, list), editor)));
  load().catch((e) => toast(e.message, 'error'));
  return () => { alive = false; };
}

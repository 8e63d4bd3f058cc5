// Errors cross from Rust as codes with their values ({code, fields: [{field, code, params}],
// problems: [{line, field, code, params}]}); this is the one place that turns them into
// sentences, in the window's language. Rust's English `message` is for its log, and is
// shown only for a failure of the system itself (a disk, the keychain), as a detail.

import { h } from './dom.js';
import { date, number, t } from './i18n.js';

/** The field's name in the window's language, or its own name when it has no label. */
function fieldLabel(field) {
  // One of a list (`allocations.2`): the list's label and the item's number from 1.
  const item = /^(.+)\.(\d+)$/.exec(field);
  if (item) return `${fieldLabel(item[1])} ${number(Number(item[2]) + 1)}`;
  const key = `field.${field}`;
  const text = t(key);
  return text === key ? field : text;
}

/**
 * The values a translation names; a list of onboarding checks is named check by check.
 * @param {Record<string, string>} [params]
 */
function values(params = {}) {
  const out = { ...params };
  if (params.checks !== undefined) {
    out.checks = params.checks.split(',').filter(Boolean).map((c) => t(`check.${c}`)).join(t('list.separator'));
  }
  if (params.kind !== undefined) out.kind = t(`file.kind.${params.kind}`);
  if (params.line !== undefined) out.line = number(Number(params.line));
  if (params.n !== undefined) out.n = number(Number(params.n));
  if (params.max !== undefined) out.max = number(Number(params.max));
  if (params.min !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(params.min)) out.min = date(params.min);
  return out;
}

/** One problem's sentence: its code's text, with the value it is about in front. */
export function problemText(p) {
  // A limit the record names is said ("At most 2,000 characters"), not only "Too long".
  // A date refused as too early says the first day allowed ("not before 22 Nov 2026").
  const key = p.code === 'too_long' && p.params?.max !== undefined ? 'error.too_long_max'
    : p.code === 'too_early' && p.params?.min !== undefined ? 'error.too_early_min'
      : `error.${p.code}`;
  const template = t(key);
  const text = template === key ? t('error.invalid') : t(key, values(p.params));
  const value = p.params?.value;
  return value !== undefined && !template.includes('{value}') ? `“${value}”${t('list.value_separator')}${text}` : text;
}

/** A field's problem, named by the field's label. */
export function fieldText(f) {
  return `${fieldLabel(f.field)}${t('list.value_separator')}${problemText(f)}`;
}

/** The whole error as one sentence (for a toast or a form's message). */
export function errorText(e) {
  if (!e || typeof e !== 'object' || typeof e.code !== 'string') return t('error.kind.internal');
  if (e.fields?.length) return e.fields.map(fieldText).join(' ');
  if (e.problems?.length) {
    return t('import.problems_in', { file: e.file ?? '', n: number(e.problems.length + (e.moreProblems ?? 0)) });
  }
  const kind = `error.kind.${e.code}`;
  const base = t(kind) === kind ? t('error.kind.internal') : t(kind);
  const system = ['failed', 'storage', 'internal', 'keychain'].includes(e.code);
  return system && e.message ? `${base} ${t('error.detail', { message: e.message })}` : base;
}

/**
 * An import's problems as a list, one per line and field, in the window's language (the
 * file's own words, the value and the column name, kept as they are).
 * @param {any} e
 * @param {string} [id]
 */
export function problemList(e, id) {
  const attrs = id ? { class: 'error', id } : { class: 'error' };
  if (!e?.problems?.length) return h('div', attrs, h('strong', {}, errorText(e)));
  const items = e.problems.map((p) => h('li', { class: 'import-problem', title: p.message },
    p.line ? t('import.problem_line', { line: number(p.line), field: p.field }) : t('import.problem_file', { field: p.field }),
    ' ', problemText(p),
    ['prepaid_card', 'checks_missing', 'full_admin_refused'].includes(p.code) ? ` ${t('import.existing_book_hint')}` : ''));
  if (e.moreProblems) items.push(h('li', {}, t('import.more_problems', { n: number(e.moreProblems) })));
  return h('div', attrs, h('strong', {}, errorText(e)), h('ul', {}, items));
}

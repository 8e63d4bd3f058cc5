// Strings come from locales/*.json; numbers, money and dates go through Intl with the
// chosen locale.

const SUPPORTED = ['en', 'zh-TW'];
let lang = 'en';
let strings = {};
let fallback = {};
const listeners = new Set();

async function load(code) {
  const res = await fetch(`locales/${code}.json`);
  if (!res.ok) throw new Error(`cannot load locale ${code}`);
  return res.json();
}

export function guessLanguage() {
  return (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh-TW' : 'en';
}

export async function setLanguage(code) {
  if (!SUPPORTED.includes(code)) code = 'en';
  if (!Object.keys(fallback).length) fallback = await load('en');
  strings = code === 'en' ? fallback : await load(code);
  lang = code;
  document.documentElement.lang = code;
  translate(document);
  for (const fn of listeners) fn(code);
}

export function language() {
  return lang;
}

export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** t('customers.count', {n: 3}) */
export function t(key, vars = {}) {
  let s = strings[key] ?? fallback[key] ?? key;
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

/** Translates every [data-i18n] (text) and [data-i18n-placeholder] under root. */
export function translate(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
}

/** Money arrives as {minor, currency}; the exponent comes from Intl itself. */
export function money(m) {
  if (!m) return '';
  const probe = new Intl.NumberFormat('en', { style: 'currency', currency: m.currency });
  const digits = probe.resolvedOptions().maximumFractionDigits;
  const whole = m.minor % 10 ** digits === 0;
  // TWD is written without cents when there are none ("NT$12,345").
  const fraction = m.currency === 'TWD' && whole ? 0 : digits;
  // A decimal string keeps every digit (Intl formats numeric strings exactly); the
  // DOM typings only know numbers, hence the cast.
  const value = /** @type {any} */ (decimalText(m.minor, digits));
  const text = new Intl.NumberFormat(lang, {
    style: 'currency',
    currency: m.currency,
    minimumFractionDigits: fraction,
    maximumFractionDigits: fraction,
  }).format(value);
  // zh-TW writes New Taiwan dollars as a bare "$"; in a book with US dollars too, say NT$.
  return m.currency === 'TWD' ? text.replace(/^(-?)\$/, '$1NT$') : text;
}

/** Money as plain exact decimal text for an input field ("9000", "1234.5"). */
export function plainAmount(m) {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency: m.currency }).resolvedOptions().maximumFractionDigits;
  const text = decimalText(m.minor, digits);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Integer minor units to exact decimal text ("-1234.05"); Intl formats such strings
 * without a detour through floating point. */
function decimalText(minor, digits) {
  const neg = minor < 0;
  let s = String(Math.abs(minor));
  if (digits > 0) {
    s = s.padStart(digits + 1, '0');
    s = `${s.slice(0, -digits)}.${s.slice(-digits)}`;
  }
  return neg ? `-${s}` : s;
}

/** A calendar date 'YYYY-MM-DD' in the chosen locale, without time-zone shifts. */
export function date(text) {
  if (!text) return '';
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

/** An RFC 3339 UTC timestamp in local time. */
export function timestamp(text) {
  if (!text) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(text));
}

/** A list as the language writes one: "a, b, c" or "a、b、c". */
export function listText(items) {
  return items.join(lang === 'zh-TW' ? '、' : ', ');
}

/** A remark after a text: "Standard (default)" or "Standard（預設）". */
export function aside(text, remark) {
  return lang === 'zh-TW' ? `${text}（${remark}）` : `${text} (${remark})`;
}

/** A label and what it labels: "Action: call" or "處理方式：致電". */
export function labelled(label, text) {
  return lang === 'zh-TW' ? `${label}：${text}` : `${label}: ${text}`;
}

export function number(n) {
  return new Intl.NumberFormat(lang).format(n);
}

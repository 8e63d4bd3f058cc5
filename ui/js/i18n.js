// Strings come from locales/*.json; numbers and dates go through Intl with the chosen
// locale; money is written from Rust's currency table, as letters write it.

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

/**
 * t('customers.count', {n: 3}). A word that follows a count is written `{n|day|days}`: the
 * first form where the language's rules call the count one (English: 1 day), the second
 * otherwise (0 days, 1.5 days, 2 days). The count may arrive formatted (`1,234`).
 */
export function t(key, vars = {}) {
  let s = strings[key] ?? fallback[key] ?? key;
  s = s.replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, (whole, name, one, other) => {
    if (!(name in vars)) return whole;
    const count = Number(String(vars[name]).replace(/[^\d.-]/g, ''));
    return plurals().select(count) === 'one' ? one : other;
  });
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

/** @type {Map<string, Intl.PluralRules>} */
const pluralRules = new Map();

/** The plural rules of the window's language. */
function plurals() {
  let rules = pluralRules.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang);
    pluralRules.set(lang, rules);
  }
  return rules;
}

/** Translates every [data-i18n] (text) and [data-i18n-placeholder] under root. */
export function translate(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
}

/** @type {Map<string, { exponent: number, symbol: string }>} */
const moneyFormats = new Map();

/** @type {string[][]} the payment methods in English and Chinese, from Rust's table */
let methodWords = [];

/** @param {string[][]} words */
export function setPaymentMethods(words) {
  methodWords = words;
}

/**
 * How a payment arrived, in the window's language, as statements write it: a word of the other
 * language that Rust's table knows is translated (`bank transfer` is `銀行轉帳`), with what
 * follows it in brackets kept; anything else as written.
 * @param {string} method
 */
export function paymentMethod(method) {
  const zh = lang === 'zh-TW';
  const word = (/** @type {string} */ w) => {
    const found = methodWords.find(([en, cn]) => (zh ? en.toLowerCase() === w.trim().toLowerCase() : cn === w.trim()));
    return found ? found[zh ? 1 : 0] : null;
  };
  const text = method.trim();
  const whole = word(text);
  if (whole) return whole;
  const m = /^(.*?)\s?[(（](.*?)[)）]?$/.exec(text);
  const head = m ? word(m[1]) : null;
  if (m && head) return zh ? `${head}（${m[2]}）` : `${head} (${m[2]})`;
  return text;
}

/**
 * How each currency is written, as Rust's table says (the reference data): its ISO 4217
 * digits and its symbol. Letters use the same table, so a screen and the letter printed
 * from it agree to the character.
 * @param {{ code: string, exponent: number, symbol: string }[]} formats
 */
export function setMoneyFormats(formats) {
  for (const f of formats) moneyFormats.set(f.code, { exponent: f.exponent, symbol: f.symbol });
}

/** A currency's digits after the point (2 for IDR and TWD, 3 for BHD, 0 for JPY). */
export function exponent(currency) {
  const known = moneyFormats.get(currency);
  if (known) return known.exponent;
  // Before the reference data arrives (it always has by the time money is shown); a code
  // Intl does not know either is read with two digits rather than breaking the page.
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * Money arrives as {minor, currency} and is written as letters write it: "NT$12,345",
 * "฿1,234.50", "Rp1,234.50", "BHD 12.345", "-US$5.00"; TWD without cents when there are
 * none. Exact: the minor units become digits as text, never a float.
 */
export function money(m) {
  if (!m) return '';
  const digits = exponent(m.currency);
  const symbol = moneyFormats.get(m.currency)?.symbol ?? `${m.currency} `;
  const text = decimalText(Math.abs(m.minor), digits);
  const [whole, fraction = ''] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  const cents = fraction && !(m.currency === 'TWD' && /^0+$/.test(fraction)) ? `.${fraction}` : '';
  return `${m.minor < 0 ? '-' : ''}${symbol}${grouped}${cents}`;
}

/** Money as plain exact decimal text for an input field ("9000", "1234.5"). */
export function plainAmount(m) {
  const text = decimalText(m.minor, exponent(m.currency));
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

/** A month 'YYYY-MM' as the language writes it: "December 2026", "2026年12月". */
export function monthText(text) {
  const [y, m] = String(text || '').split('-').map(Number);
  if (!y || !m) return text || '';
  return new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'long', timeZone: 'UTC' })
    .format(new Date(Date.UTC(y, m - 1, 1)));
}

/** An RFC 3339 UTC timestamp in local time. */
export function timestamp(text) {
  if (!text) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(text));
}

/**
 * A country or region by its ISO code as the language names it, the code aside:
 * "Netherlands (NL)", "荷蘭（NL）"; a code the platform cannot name, as it is.
 */
export function country(code) {
  if (!/^[A-Z]{2}$/.test(code || '')) return code || '';
  let name;
  try {
    name = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' }).of(code);
  } catch {
    name = undefined;
  }
  return name && name !== code ? aside(name, code) : code;
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

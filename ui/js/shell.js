// What every view shares with the window around it: the reference data (today, the
// currencies), messages (toasts), the bar of a document just written, the alert badge, and
// entering the app once the database is open. Views import this module, never app.js, so
// the modules form no cycle: app.js imports the views and registers how to enter.

import { api } from './api.js';
import { h } from './dom.js';
import { money, setMoneyFormats, setPaymentMethods, t } from './i18n.js';
import { errorText } from './errors.js';

/**
 * Today and the lists the forms offer, as Rust last said (asked again on every navigation,
 * on focus and every minute, so a window left open past midnight is not a day behind).
 * @type {any}
 */
export let reference = null;

/** Asks Rust for the reference data again; keeps what it had when that fails. */
export async function refreshReference() {
  try {
    reference = await api.referenceData();
    setMoneyFormats(reference.money_formats);
    setPaymentMethods(reference.payment_methods);
  } catch {
    // The next navigation asks again.
  }
  return reference;
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let toastTimer;

export function toast(text, kind = 'info') {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.dataset.kind = kind;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}

/**
 * A message to say once the window has loaded again, in the language the book then has
 * (a restore reloads the window).
 * @param {string} key
 * @param {Record<string, any>} params
 */
export function sayAfterReload(key, params) {
  sessionStorage.setItem('riskdesk.say-after-reload', JSON.stringify({ key, params }));
}

/** Says the message left by {@link sayAfterReload}, once. */
export function sayWhatWasLeft() {
  const raw = sessionStorage.getItem('riskdesk.say-after-reload');
  if (raw === null) return;
  sessionStorage.removeItem('riskdesk.say-after-reload');
  try {
    const { key, params } = JSON.parse(raw);
    if (typeof key === 'string' && key.startsWith('settings.')) toast(t(key, params));
  } catch {
    // A message that does not read is not said.
  }
}

/** Takes the message away now: it was written in the language the user has just left. */
export function hideToast() {
  clearTimeout(toastTimer);
  const el = document.getElementById('toast');
  if (el) el.hidden = true;
}

/**
 * One action of a view: the work done, `message` said (when there is one; a function makes
 * it from the work's answer) and the view read again; or the work's error said, and the
 * view left as it was.
 * @param {Promise<any>} work
 * @param {string | null | ((answer: any) => string)} message
 * @param {() => unknown} reload
 */
export async function perform(work, message, reload) {
  try {
    const answer = await work;
    const text = typeof message === 'function' ? message(answer) : message;
    if (text) toast(text);
    await reload();
  } catch (e) {
    toast(errorText(e), 'error');
  }
}

/**
 * After RiskDesk wrote a document or a folder of them: the path, with Open (the system
 * viewer) and Show in folder. Rust opens only what RiskDesk wrote.
 * @param {string} path
 */
export function documentWritten(path) {
  const bar = document.getElementById('document-bar');
  const fail = (e) => toast(errorText(e), 'error');
  const open = h('button', { class: 'small', id: 'doc-open' }, t('document.open'));
  const show = h('button', { class: 'small', id: 'doc-show' }, t('document.show'));
  const close = h('button', { class: 'small link', title: t('document.close') }, '×');
  open.addEventListener('click', () => api.openDocument(path).catch(fail));
  show.addEventListener('click', () => api.showInFolder(path).catch(fail));
  close.addEventListener('click', () => { bar.hidden = true; });
  bar.replaceChildren(h('span', { id: 'doc-path' }, t('document.written', { path })), open, show, close);
  bar.hidden = false;
}

/**
 * The count of open alerts beside "Usage and alerts" in the navigation.
 * @param {number} [count] known already; otherwise asked for
 */
export async function refreshAlertCount(count) {
  const badge = document.getElementById('nav-alert-count');
  try {
    const n = count ?? (await api.countAlerts()).open;
    badge.textContent = String(n);
    badge.hidden = n === 0;
  } catch {
    badge.hidden = true;
  }
}

/**
 * A view's choices kept for the window's session (a list's search and sort, a checkbox),
 * so going back to a view keeps them; kept by the window, not by a module, so every mount
 * starts from what was chosen last.
 * @template T
 * @param {string} key
 * @param {T} defaults
 * @returns {T}
 */
export function remembered(key, defaults) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(`riskdesk.${key}`) ?? 'null');
    return saved && typeof saved === 'object' ? { ...defaults, ...saved } : { ...defaults };
  } catch {
    return { ...defaults };
  }
}

/** Keeps a view's choices (see {@link remembered}). @param {string} key @param {any} value */
export function remember(key, value) {
  try {
    sessionStorage.setItem(`riskdesk.${key}`, JSON.stringify(value));
  } catch {
    // Storage full or unavailable: the view still works, it only forgets.
  }
}

/**
 * Only the newest of a view's reads draws. A view makes one `newestRead()` as it mounts,
 * calls it as each read starts and asks the answer whether that read is still the newest
 * once it returns: a read that answers after a later one (a search typed on, a reload after
 * a save or an event, a filter changed twice) would otherwise draw the older state over it.
 * @returns {() => () => boolean}
 */
export function newestRead() {
  let latest = 0;
  return () => {
    const mine = ++latest;
    return () => mine === latest;
  };
}

/** @type {() => Promise<void>} */
let enter = async () => {};

/** What entering the app does (app.js says, once). @param {() => Promise<void>} fn */
export function onEnter(fn) {
  enter = fn;
}

/** Enters the app once the database is open (after the first run or the unlock screen). */
export function enterApp() {
  return enter();
}

/**
 * `saved`, then what the work corrected of dunning charges: credit notes giving back a run's
 * fees and interest on money received by its day, or charge invoices charging again what a
 * payment taken back had given back.
 * @param {{ charge_invoice: string, document: string, amount: { minor: number, currency: string } }[] | undefined} fixed
 * @param {string} saved
 */
export function savedSaying(fixed, saved) {
  if (!fixed?.length) return saved;
  return [saved, ...fixed.map((c) => t(c.amount.minor > 0 ? 'payment.charges_credited' : 'payment.charges_again', {
    document: c.document, invoice: c.charge_invoice, amount: money({ ...c.amount, minor: Math.abs(c.amount.minor) }),
  }))].join(' ');
}

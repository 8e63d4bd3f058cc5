// Boot: ask the Rust side which screen to show, then route by the URL hash.

import { api, onEvent } from './api.js';
import { guessLanguage, language, setLanguage, t } from './i18n.js';
import { clear } from './dom.js';
import * as firstRun from './views/first-run.js';
import * as unlock from './views/unlock.js';
import * as customers from './views/customers.js';
import * as customer from './views/customer.js';
import * as customerForm from './views/customer-form.js';
import * as settings from './views/settings.js';
import * as receivables from './views/receivables.js';
import * as dunning from './views/dunning.js';
import * as policies from './views/policies.js';
import * as usage from './views/usage.js';
import * as bank from './views/bank.js';
import * as microsoft from './views/microsoft.js';
import * as dashboard from './views/dashboard.js';
import { errorText } from './errors.js';
import { hideToast, onEnter, refreshAlertCount, refreshReference, sayWhatWasLeft, toast } from './shell.js';

const view = document.getElementById('view');
const nav = document.getElementById('nav');
const langSelect = /** @type {HTMLSelectElement} */ (document.getElementById('language'));
let unmount = null;
let ready = false;

function mount(module, params = {}) {
  if (unmount) unmount();
  clear(view);
  unmount = module.mount(view, params) ?? null;
}

/**
 * Asks Rust for today again (and the rest of the reference data): a window left open past
 * midnight must not default its date fields to yesterday, nor send a stale date.
 */
function refreshToday() {
  return refreshReference();
}
window.addEventListener('focus', () => { if (ready) refreshToday(); });
setInterval(() => { if (ready) refreshToday(); }, 60_000);

/** Counts navigations: one that finishes after a newer one started mounts nothing. */
let routing = 0;

async function route() {
  if (!ready) return;
  const mine = ++routing;
  await refreshToday();
  // The page shown is the last one asked for: an earlier navigation finishing late would
  // mount its page again over the one in use and lose what the user has chosen there.
  if (mine !== routing) return;
  const hash = location.hash || '#/dashboard';
  let m;
  for (const a of nav.querySelectorAll('a')) {
    a.classList.toggle('active', hash.startsWith(a.getAttribute('href')));
  }
  if (hash === '#/customers' || hash.startsWith('#/customers?')) return mount(customers);
  if (hash === '#/customers/new') return mount(customerForm, { id: null });
  if (hash.startsWith('#/customers/new?')) {
    const q = new URLSearchParams(hash.slice('#/customers/new?'.length));
    const prefill = { legal_name: q.get('name') ?? '', tenant_id: q.get('tenant') ?? '', primary_domain: q.get('domain') ?? '' };
    return mount(customerForm, { id: null, prefill });
  }
  if ((m = hash.match(/^#\/customers\/(\d+)\/edit$/))) return mount(customerForm, { id: Number(m[1]) });
  if ((m = hash.match(/^#\/customers\/(\d+)$/))) return mount(customer, { id: Number(m[1]) });
  if (hash === '#/settings') return mount(settings);
  if (hash === '#/receivables') return mount(receivables);
  if (hash === '#/dunning') return mount(dunning);
  if (hash === '#/policies') return mount(policies);
  if (hash === '#/usage') return mount(usage);
  if (hash === '#/bank') return mount(bank);
  if (hash === '#/microsoft') return mount(microsoft);
  if (hash === '#/dashboard') return mount(dashboard);
  location.hash = '#/dashboard';
}

async function enterApp() {
  await refreshReference();
  refreshAlertCount();
  // Alerts raised by the step after a change (a tenant linked) or on opening the book.
  onEvent('derived-changed', () => refreshAlertCount());
  ready = true;
  nav.hidden = false;
  if (!location.hash || location.hash === '#/') location.hash = '#/dashboard';
  route();
}

async function boot() {
  let status;
  try {
    status = await api.status();
  } catch (e) {
    await setLanguage(guessLanguage());
    view.append(document.createTextNode(`${t('error.start')}: ${e.message}`));
    return;
  }
  await setLanguage(status.language ?? guessLanguage());
  langSelect.value = language();
  if (status.state === 'new') return mount(firstRun, { status });
  if (status.state === 'locked') return mount(unlock, { status });
  await enterApp();
  sayWhatWasLeft();
}
onEnter(enterApp);

langSelect.addEventListener('change', async () => {
  const code = langSelect.value;
  await setLanguage(code);
  hideToast();
  if (ready) {
    // The page is drawn again in the new language now; the choice is saved meanwhile, so a
    // page the user opens before the save ends is not drawn again over them.
    route();
    api.setLanguage(code).catch((e) => toast(errorText(e), 'error'));
  }
});
window.addEventListener('hashchange', route);
boot();

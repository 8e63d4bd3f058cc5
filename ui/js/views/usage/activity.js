// The partner activity log: import the portal's export, and the latest records.

import { api } from '../../api.js';
import { h } from '../../dom.js';
import { number, t, timestamp } from '../../i18n.js';
import { problemList } from '../../errors.js';

export function renderActivity(card, records, ctx) {
  const importA = h('button', { id: 'import-activity' }, t('activity.import'));
  const result = h('div', { class: 'import-status', id: 'activity-status' });
  importA.addEventListener('click', async () => {
    try {
      const r = await api.importActivity(t('activity.import'));
      if (r) {
        result.replaceChildren(t('activity.imported', { added: number(r.added), unchanged: number(r.unchanged) }));
        ctx.reload();
      }
    } catch (e) {
      result.replaceChildren(problemList(e));
    }
  });
  const body = h('tbody', { id: 'activity-rows' });
  for (const a of records) {
    body.append(h('tr', {}, h('td', {}, timestamp(a.at)),
      h('td', {}, a.customer_id ? h('a', { href: `#/customers/${a.customer_id}` }, a.customer_name) : a.customer_name),
      h('td', { class: 'mono' }, a.operation), h('td', {}, a.who)));
  }
  if (!records.length) body.append(h('tr', {}, h('td', { class: 'empty', colspan: 4 }, t('activity.none'))));
  card.replaceChildren(h('div', { class: 'page-head' }, h('h2', {}, t('activity.title')), importA),
    h('p', { class: 'muted' }, t('activity.explain')), result,
    h('table', { class: 'grid', id: 'activity-table' }, h('thead', {}, h('tr', {},
      [t('activity.at'), t('customers.name'), t('activity.operation'), t('activity.who')].map((c) => h('th', {}, c)))), body));
}

// The fields of the customer page's dialogs.

import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import { reference } from '../../shell.js';

export function field(label, name, value = '', attrs = {}) {
  return h('label', { class: 'field' }, h('span', {}, label),
    h(attrs.multiline ? 'textarea' : 'input', { name, value, id: `d-${name}`, ...attrs, multiline: undefined }));
}

export function selectField(label, name, values, prefix) {
  return h('label', { class: 'field' }, h('span', {}, label),
    h('select', { name, id: `d-${name}` }, values.map((v) => h('option', { value: v }, t(`${prefix}.${v}`)))));
}

export function reasonSelect() {
  return h('label', { class: 'field' }, h('span', {}, t('sub.reason')),
    h('select', { name: 'reason', id: 'd-reason' },
      reference.reasons.map((r) => h('option', { value: r }, t(`reason.${r}`)))));
}

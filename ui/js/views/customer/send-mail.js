// A customer document (statement, policy, plan agreement) sent by e-mail over SMTP to the
// customer's billing e-mail; one already sent to that address is sent again only when the
// owner confirms. The page reloads so its mail log shows the message.

import { api } from '../../api.js';
import { h } from '../../dom.js';
import { labelled, t } from '../../i18n.js';
import { toast } from '../../shell.js';
import { confirmDialog } from '../../dialog.js';
import { errorText } from '../../errors.js';

/**
 * @param {{ kind: string, customer_id: number, as_of: string, plan_id?: number }} request
 * @param {(work: Promise<unknown>, message: string) => Promise<void>} act
 * @param {Record<string, any>} attrs
 */
export function sendButton(request, act, attrs) {
  const b = h('button', { class: 'small', ...attrs }, t('mail.send'));
  b.addEventListener('click', async () => {
    if (!(await confirmDialog(t('mail.send_document_confirm'), t('mail.send')))) return;
    b.disabled = true;
    try {
      let report = await api.sendDocumentMail(request, false);
      let o = report.outcomes[0];
      if (o.status === 'already_sent') {
        if (!(await confirmDialog(t('mail.already_sent', { to: o.to, when: o.reply }), t('mail.send_again')))) return;
        report = await api.sendDocumentMail(request, true);
        o = report.outcomes[0];
      }
      if (o.status === 'sent') await act(Promise.resolve(), t('mail.sent_to', { to: o.to }));
      else await act(Promise.reject(new Error(labelled(t(`mail.outcome.${o.status}`), o.reply))), '');
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      b.disabled = false;
    }
  });
  return b;
}

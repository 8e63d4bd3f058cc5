// The book against its backups: the last backup (or restore), the changes since, and the
// Back up… button, shown in Settings and, when a reminder is due, on the dashboard.

import { api } from '../api.js';
import { h } from '../dom.js';
import { number, t, timestamp } from '../i18n.js';
import { toast } from '../shell.js';
import { errorText } from '../errors.js';

/** The days offered for the reminder; a value set elsewhere (the command line) is added. */
export const REMIND_CHOICES = [7, 14, 30, 90, 0];

/**
 * One sentence on the last backup and one on the changes since, in the window's language.
 * @param {{ last: { kind: string, at: string, file: string } | null, days_since: number | null, changes_since: number }} s
 */
export function backupStatusText(s) {
  const n = number(s.changes_since);
  if (!s.last) return t('backup.never', { n });
  const days = s.days_since === 0 ? t('backup.today') : t('backup.days_ago', { d: number(s.days_since ?? 0) });
  const last = t(`backup.last_${s.last.kind}`, { when: timestamp(s.last.at), days, file: s.last.file });
  return `${last} ${s.changes_since === 0 ? t('backup.no_changes') : t('backup.changes_since', { n })}`;
}

/** The reminder's name for `days`. */
export function remindLabel(days) {
  const named = { 7: 'week', 14: 'two_weeks', 30: 'month', 90: 'three_months', 0: 'never' }[days];
  return named ? t(`backup.remind_${named}`) : t('backup.remind_days', { d: number(days) });
}

/**
 * What the window says of a backup written: where, and, when it is on the book's own disk,
 * to copy it elsewhere too.
 * @param {{ path: string, same_disk: boolean }} w
 */
export function backupDoneText(w) {
  const done = t('settings.backup_done', { path: w.path });
  return w.same_disk ? `${done} ${t('settings.backup_same_disk')}` : done;
}

/**
 * The Back up… button: the Save dialog, then the copy; `done(written)` after one is written.
 * @param {string} id
 * @param {(written: { path: string, same_disk: boolean }) => void} done
 */
export function backupButton(id, done) {
  const button = h('button', { id }, t('settings.backup'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const written = await api.backupWithDialog(t('settings.backup_title'));
      if (written) done(written);
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

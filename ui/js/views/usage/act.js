// One action of a usage card: done, then the page read again; or its error said.

import { toast } from '../../shell.js';
import { errorText } from '../../errors.js';

/**
 * @param {{ reload: () => void }} ctx
 * @param {Promise<unknown>} work
 */
export async function act(ctx, work) {
  try {
    await work;
    ctx.reload();
  } catch (e) {
    toast(errorText(e), 'error');
  }
}

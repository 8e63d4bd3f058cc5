// One action of a usage card: done, then the page read again; or its error said.

import { perform } from '../../shell.js';

/**
 * @param {{ reload: () => void }} ctx
 * @param {Promise<unknown>} work
 */
export function act(ctx, work) {
  return perform(work, null, ctx.reload);
}

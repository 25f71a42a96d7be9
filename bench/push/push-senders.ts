import { serve } from '../harness/child';
import { sendBaseline, type BaselineSend } from './push-sides';

/**
 * The two baselines in a process of their own, started on the push worker's core when the
 * worker runs apart from the API: every sender then shares that core with the push services,
 * as Tocsin's worker does, instead of the baselines having the API's quiet core to themselves.
 */
serve({
  bare: (send: BaselineSend) => sendBaseline('bare', send),
  floor: (send: BaselineSend) => sendBaseline('floor', send),
});

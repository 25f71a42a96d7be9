import { serve } from '../harness/child';
import { bareWebPush, rawFloor, type BenchSubscription, type SideOptions } from './push-sides';

/**
 * The two baselines in a process of their own, started on the push worker's core when the
 * worker runs apart from the API: every sender then shares that core with the push services,
 * as Tocsin's worker does, instead of the baselines having the API's quiet core to themselves.
 */
interface SendArgs {
  subscriptions: BenchSubscription[];
  options: SideOptions;
  http2Origins: string[];
}

serve({
  bare: ({ subscriptions, options }: SendArgs) => bareWebPush(subscriptions, options),
  floor: ({ subscriptions, options, http2Origins }: SendArgs) =>
    rawFloor(subscriptions, { ...options, http2Origins: new Set(http2Origins) }),
});

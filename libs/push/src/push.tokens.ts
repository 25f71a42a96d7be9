/** The endpoint policy (host list and address checks) built from PUSH_ALLOWED_HOSTS. */
export const PUSH_ENDPOINT_POLICY = Symbol('PUSH_ENDPOINT_POLICY');
/** The DNS resolver the policy uses; tests may replace it to play a name that rebinds. */
export const PUSH_RESOLVER = Symbol('PUSH_RESOLVER');
/** The web-push adapter. */
export const PUSH_SENDER = Symbol('PUSH_SENDER');
/** Name of the job that sends a chunk of deliveries. */
export const PUSH_SEND_JOB = 'push.send';

/**
 * A chunk of deliveries to send (a few hundred). `attempts` is what their rows' attempt count
 * must still be for this job to claim them (see PushDeliveryStore.claim): a second job for the
 * same deliveries finds them claimed and sends nothing. `deliveryId` is the shape of the jobs
 * queued before chunks (one delivery each, any open row claimed), still read from a Redis
 * queue that holds some.
 */
export interface PushSendJob {
  deliveryIds?: string[];
  attempts?: number;
  deliveryId?: string;
}

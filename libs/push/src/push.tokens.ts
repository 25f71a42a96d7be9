/** The endpoint policy (host list and address checks) built from PUSH_ALLOWED_HOSTS. */
export const PUSH_ENDPOINT_POLICY = Symbol('PUSH_ENDPOINT_POLICY');
/** The DNS resolver the policy uses; tests may replace it to play a name that rebinds. */
export const PUSH_RESOLVER = Symbol('PUSH_RESOLVER');
/** The web-push adapter. */
export const PUSH_SENDER = Symbol('PUSH_SENDER');
/** Name of the job that sends one delivery. */
export const PUSH_SEND_JOB = 'push.send';

export interface PushSendJob {
  deliveryId: string;
}

/** Outbox topic of alert events (created, updated, cancelled) to deliver to sockets and push. */
export const ALERT_EVENT_TOPIC = 'alert.event';

export interface AlertEventMessage {
  alertId: string;
  seq: number;
  /** Deliver only to these users (late recipients); all recipients when absent. */
  userIds?: string[];
  [key: string]: unknown;
}

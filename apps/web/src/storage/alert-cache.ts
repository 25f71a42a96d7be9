/**
 * Offline copy of the alerts, in IndexedDB (`alerts` store, and `meta` keys `alerts.fetchedAt`
 * and `responses.mine`): the last list fetched from the server, kept up to date by socket
 * events, and the answers this user gave on this device. Cleared at logout.
 */
import type { AlertView, ResponseStatus } from '@tocsin/contracts';
import { getAll, getValue, putValues, replaceAll } from './idb';

export interface MyResponse {
  status: ResponseStatus;
  etaMinutes: number | null;
  at: string;
  /** False while it waits in the outbox. */
  sent: boolean;
}

export type MyResponses = Record<string, MyResponse>;

const KEEP = 200;

export async function readAlerts(): Promise<{ alerts: AlertView[]; fetchedAt: string | null }> {
  const [alerts, fetchedAt] = await Promise.all([
    getAll<AlertView>('alerts'),
    getValue<string>('meta', 'alerts.fetchedAt'),
  ]);

  return { alerts, fetchedAt: fetchedAt ?? null };
}

export async function saveAlertList(alerts: AlertView[], fetchedAt: string): Promise<void> {
  await replaceAll('alerts', alerts.slice(0, KEEP));
  await putValues('meta', [fetchedAt], 'alerts.fetchedAt');
}

export async function saveAlert(alert: AlertView): Promise<void> {
  await putValues('alerts', [alert]);
}

export async function readMyResponses(): Promise<MyResponses> {
  return (await getValue<MyResponses>('meta', 'responses.mine')) ?? {};
}

export async function saveMyResponses(responses: MyResponses): Promise<void> {
  await putValues('meta', [responses], 'responses.mine');
}

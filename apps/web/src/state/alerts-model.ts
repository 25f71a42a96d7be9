import type { AlertView, ResponseStatus, ResponseTally } from '@tocsin/contracts';
import { NetworkError } from '../api/http';
import type { Endpoints } from '../api/endpoints';
import { newClientId } from '../lib/ids';
import { Store } from '../lib/external-store';
import {
  readAlerts,
  readMyResponses,
  saveAlert,
  saveAlertList,
  saveMyResponses,
  type MyResponses,
} from '../storage/alert-cache';
import { enqueue } from '../storage/outbox';

export interface AlertsState {
  list: AlertView[];
  /** When the list last came from the server; null before the first fetch. */
  fetchedAt: string | null;
  loaded: boolean;
  tallies: Record<string, ResponseTally>;
  mine: MyResponses;
}

const newestFirst = (a: AlertView, b: AlertView) => b.sent.localeCompare(a.sent);

/** The alerts the user sees: cached first, then from the server, then live from the socket. */
export class AlertsModel {
  readonly store = new Store<AlertsState>({
    list: [],
    fetchedAt: null,
    loaded: false,
    tallies: {},
    mine: {},
  });

  constructor(
    private readonly endpoints: Endpoints,
    private readonly flushOutbox: () => void,
  ) {}

  async start(): Promise<void> {
    const [cached, mine] = await Promise.all([readAlerts(), readMyResponses()]);
    this.store.update((state) => ({
      ...state,
      list: mergeList(state.list, cached.alerts),
      fetchedAt: state.fetchedAt ?? cached.fetchedAt,
      mine: { ...mine, ...state.mine },
      loaded: cached.alerts.length > 0 || state.loaded,
    }));
    await this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      const list = await this.endpoints.alerts();
      const fetchedAt = new Date().toISOString();
      this.store.update((state) => ({ ...state, list: [...list].sort(newestFirst), fetchedAt }));
      await saveAlertList(list, fetchedAt);
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
    } finally {
      this.store.update((state) => ({ ...state, loaded: true }));
    }
  }

  /** An alert from a socket event or a fetch: kept when it is not older than what we have. */
  upsert(alert: AlertView): void {
    this.store.update((state) => ({ ...state, list: mergeList(state.list, [alert]) }));
    // After logout the storage is locked: the copy on screen is all that is wanted then.
    saveAlert(alert).catch(() => undefined);
  }

  setTally(alertId: string, tally: ResponseTally): void {
    this.store.update((state) => ({ ...state, tallies: { ...state.tallies, [alertId]: tally } }));
  }

  /** Records the answer at once and sends it through the outbox (in order, also offline). */
  async respond(alertId: string, status: ResponseStatus, etaMinutes?: number): Promise<void> {
    const at = new Date().toISOString();
    const mine = {
      ...this.store.get().mine,
      [alertId]: { status, etaMinutes: etaMinutes ?? null, at, sent: false },
    };
    this.store.update((state) => ({ ...state, mine }));
    await saveMyResponses(mine);
    await enqueue({
      kind: 'response',
      clientId: newClientId(),
      alertId,
      status,
      ...(etaMinutes === undefined ? {} : { etaMinutes }),
      createdAt: at,
    });
    this.flushOutbox();
  }

  async markResponseSent(alertId: string, status: ResponseStatus): Promise<void> {
    const current = this.store.get().mine[alertId];
    if (!current || current.status !== status) return;
    const mine = { ...this.store.get().mine, [alertId]: { ...current, sent: true } };
    this.store.update((state) => ({ ...state, mine }));
    await saveMyResponses(mine);
  }
}

function mergeList(current: AlertView[], incoming: AlertView[]): AlertView[] {
  const byId = new Map(current.map((alert) => [alert.id, alert]));
  for (const alert of incoming) {
    const known = byId.get(alert.id);
    // `seq` grows with every event about the alert: an older copy never replaces a newer one.
    if (!known || alert.seq >= known.seq) byId.set(alert.id, alert);
  }

  return [...byId.values()].sort(newestFirst);
}

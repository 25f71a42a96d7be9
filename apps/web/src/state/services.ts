import type { MeView } from '@tocsin/contracts';
import { chatEndpoints } from '../api/chat-api';
import { endpoints, type Endpoints } from '../api/endpoints';
import type { ApiClient } from '../api/http';
import { connectRealtime } from '../realtime/socket';
import { lockDb } from '../storage/idb';
import { AlertsModel } from './alerts-model';
import { Announcements } from './announcements';
import { ChatModel } from './chat-model';
import { OutboxSender } from './outbox-sender';
import { notices } from './notices';

export interface Services {
  me: MeView;
  api: ApiClient;
  endpoints: Endpoints;
  alerts: AlertsModel;
  chat: ChatModel;
  outbox: OutboxSender;
  stop(): void;
}

export const STAFF_ROLES: ReadonlyArray<MeView['role']> = ['admin', 'dispatcher', 'observer'];
export const SENDER_ROLES: ReadonlyArray<MeView['role']> = ['admin', 'dispatcher'];

/** Everything a signed-in session runs: models, the outbox and the live connection. */
export function startServices(api: ApiClient, me: MeView): Services {
  lockDb(false);
  const ep = endpoints(api);
  const chatEp = chatEndpoints(api);
  // The models call `flush` only after start, when `outbox` below exists.
  const flush = () => outbox.flush();
  const alerts = new AlertsModel(ep, flush);
  const chat = new ChatModel(chatEp, me, flush);
  const outbox = new OutboxSender(ep, chatEp, {
    responseSent: (alertId, status) => void alerts.markResponseSent(alertId, status),
    messageSent: (message) => chat.received(message),
    refused: (_item, error) => notices.push(`Not sent: ${error.message}`),
  });

  const announcements = new Announcements();
  const disconnect = connectRealtime(api, {
    alert: (kind, alert) => {
      // A reconnect's catch-up and a live copy of the same event can both arrive: one counts.
      if (!announcements.firstTime(alert)) return;
      alerts.upsert(alert);
      if (kind === 'created' || kind === 'escalated') {
        // On screen already, so no push notification: say it here, and buzz on phones.
        notices.push(`New ${alert.severity.toLowerCase()} alert: ${alert.headline}`);
        navigator.vibrate?.([300, 100, 300]);
      }
    },
    response: (event) => alerts.setTally(event.alertId, event.tally),
    message: (message) => chat.received(message),
    connected: () => {
      flush();
      void alerts.refresh();
      void chat.catchUpAll();
    },
  });

  void alerts.start().then(flush);
  void chat.start();

  return {
    me,
    api,
    endpoints: ep,
    alerts,
    chat,
    outbox,
    stop: () => {
      disconnect();
      outbox.stop();
    },
  };
}

import type {
  ResponderPositionView,
  AlertView,
  GroupView,
  MeView,
  RecipientView,
  ResponseStatus,
  ResponseTally,
  TargetPreview,
  TokenPair,
} from '@tocsin/contracts';
import type { ApiClient } from './http';

export interface ClientConfig {
  tileUrl: string;
  tileAttribution: string;
}

export type AreaInput =
  | { areaDesc: string; geometry: { type: 'Polygon'; coordinates: number[][][] } }
  | { areaDesc: string; circle: { center: [number, number]; radiusMeters: number } };

/** The body of `POST /api/alerts` (libs/alerts CreateAlertDto), as the composer fills it. */
export interface AlertDraft {
  event: string;
  headline: string;
  description?: string;
  instruction?: string;
  severity: AlertView['severity'];
  urgency: AlertView['urgency'];
  certainty: AlertView['certainty'];
  expires?: string;
  areas: AreaInput[];
  groupIds?: string[];
}

/** Every HTTP call the PWA makes, typed after libs/contracts. */
export function endpoints(api: ApiClient) {
  return {
    clientConfig: () => api.publicRequest<ClientConfig>('/api/client-config'),
    login: (email: string, password: string) =>
      api.publicRequest<TokenPair>('/api/auth/login', {
        method: 'POST',
        body: { email, password },
      }),
    acceptInvitation: (token: string, password: string) =>
      api.publicRequest<unknown>('/api/invitations/accept', {
        method: 'POST',
        body: { token, password },
      }),
    logout: () => api.request<unknown>('/api/auth/logout', { method: 'POST' }),
    me: () => api.request<MeView>('/api/me'),
    changePassword: (currentPassword: string, newPassword: string) =>
      api.request<unknown>('/api/me/password', {
        method: 'PUT',
        body: { currentPassword, newPassword },
      }),
    groups: () => api.request<GroupView[]>('/api/groups'),
    alerts: () => api.request<AlertView[]>('/api/alerts?limit=100'),
    alert: (id: string) => api.request<AlertView>(`/api/alerts/${encodeURIComponent(id)}`),
    preview: (draft: AlertDraft) =>
      api.request<TargetPreview>('/api/alerts', {
        method: 'POST',
        body: { ...draft, dryRun: true },
      }),
    send: (draft: AlertDraft) =>
      api.request<AlertView>('/api/alerts', { method: 'POST', body: { ...draft } }),
    update: (id: string, draft: Partial<AlertDraft>) =>
      api.request<AlertView>(`/api/alerts/${encodeURIComponent(id)}/update`, {
        method: 'POST',
        body: { ...draft },
      }),
    cancel: (id: string, reason?: string) =>
      api.request<AlertView>(`/api/alerts/${encodeURIComponent(id)}/cancel`, {
        method: 'POST',
        body: reason ? { reason } : {},
      }),
    respond: (id: string, status: ResponseStatus, etaMinutes?: number) =>
      api.request<unknown>(`/api/alerts/${encodeURIComponent(id)}/responses`, {
        method: 'POST',
        body: etaMinutes === undefined ? { status } : { status, etaMinutes },
      }),
    recipients: (id: string) =>
      api.request<{ tally: ResponseTally; recipients: RecipientView[] }>(
        `/api/alerts/${encodeURIComponent(id)}/recipients`,
      ),
    responderPositions: () => api.request<ResponderPositionView[]>('/api/responders/positions'),
    reportLocation: (lat: number, lon: number, accuracy: number) =>
      api.request<unknown>('/api/me/location', { method: 'PUT', body: { lat, lon, accuracy } }),
    vapidKey: () => api.publicRequest<{ publicKey: string }>('/api/push/vapid-public-key'),
    subscribePush: (subscription: { endpoint: string; keys: { p256dh: string; auth: string } }) =>
      api.request<{ id: string }>('/api/push/subscriptions', {
        method: 'POST',
        body: subscription,
      }),
    unsubscribePush: (id: string) =>
      api.request<unknown>(`/api/push/subscriptions/${encodeURIComponent(id)}`, {
        method: 'DELETE',
      }),
  };
}

export type Endpoints = ReturnType<typeof endpoints>;

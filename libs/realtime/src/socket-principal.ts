/** Who a socket belongs to, as the handshake's access token proved. */
export interface SocketPrincipal {
  userId: string;
  agencyId: string;
  role: string;
  isOperator: boolean;
  sessionId: string;
  /** When the access token expires, in milliseconds since the epoch. */
  expiresAt: number;
}

/**
 * Verifies a handshake or refresh token with exactly the checks HTTP applies. The identity
 * library provides it; the realtime library only knows this shape.
 */
export interface SocketAuthenticator {
  authenticate(token: string): Promise<SocketPrincipal>;
}

export const SOCKET_AUTHENTICATOR = Symbol('SOCKET_AUTHENTICATOR');

/**
 * A valid token refused for a reason the client should see (the handshake's `connect_error`
 * message is the reason); every other failure is plain "unauthorized".
 */
export class HandshakeRefused extends Error {
  override name = 'HandshakeRefused';
}

export const STAFF_ROLES = ['admin', 'dispatcher', 'observer'];

export const rooms = {
  user: (userId: string) => `user:${userId}`,
  agency: (agencyId: string) => `agency:${agencyId}`,
  /** The agency's admins, dispatchers and observers: they watch its alerts. */
  agencyStaff: (agencyId: string) => `agency-staff:${agencyId}`,
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  alertWatchers: (alertId: string) => `alert-watchers:${alertId}`,
};

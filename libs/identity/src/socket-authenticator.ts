import { Injectable } from '@nestjs/common';
import { HandshakeRefused, type SocketAuthenticator, type SocketPrincipal } from '@tocsin/realtime';
import jwt from 'jsonwebtoken';
import { AccessTokenService } from './tokens/access-token.service';

/**
 * The Socket.IO handshake's token check: exactly the HTTP checks (signature, claims, live
 * session, enabled user, no temporary password left to replace), plus the expiry, after which
 * the gateway closes the socket.
 */
@Injectable()
export class SocketTokenAuthenticator implements SocketAuthenticator {
  constructor(private readonly tokens: AccessTokenService) {}

  async authenticate(token: string): Promise<SocketPrincipal> {
    const principal = await this.tokens.verify(token);
    // As over HTTP: nothing but choosing a password until the temporary one is replaced.
    if (principal.mustChangePassword) throw new HandshakeRefused('password.change_required');
    // The signature was verified just above; this only reads the expiry it vouched for.
    const { exp } = jwt.decode(token) as { exp: number };

    return { ...principal, expiresAt: exp * 1000 };
  }
}

import type {
  LiveHelpAlertView,
  VisitorMessageView,
  VisitorSessionResponse,
} from '@tocsin/contracts';

/**
 * Storage: the visitor token of an open chat is kept in this site's localStorage under
 * `tocsin-livehelp:<agency id>`, so the chat survives reloads and navigation within the
 * site; it is removed when the chat ends or the token is refused.
 */
export class VisitorApi {
  private readonly storageKey: string;
  token: string | undefined;

  constructor(
    readonly base: string,
    readonly agencyId: string,
  ) {
    this.storageKey = `tocsin-livehelp:${agencyId}`;
    this.token = readStored(this.storageKey);
  }

  async start(name: string, topic: string): Promise<VisitorSessionResponse> {
    const body = { agencyId: this.agencyId, name: name || undefined, topic: topic || undefined };
    const session = await this.call<VisitorSessionResponse>('POST', 'visitors', body, false);
    this.keep(session.token);

    return session;
  }

  async resume(): Promise<VisitorSessionResponse> {
    return this.call<VisitorSessionResponse>('POST', 'visitor/resume');
  }

  messages(afterSeq: number): Promise<VisitorMessageView[]> {
    return this.call('GET', `visitor/messages?afterSeq=${afterSeq}`);
  }

  send(clientId: string, body: string): Promise<VisitorMessageView> {
    return this.call('POST', 'visitor/messages', { clientId, body });
  }

  alerts(): Promise<LiveHelpAlertView[]> {
    return this.call('GET', 'visitor/alerts');
  }

  async close(): Promise<void> {
    await this.call('POST', 'visitor/close');
  }

  forget(): void {
    this.token = undefined;
    try {
      localStorage.removeItem(this.storageKey);
    } catch {
      // Storage may be disabled; the token then lives only in this page.
    }
  }

  private keep(token: string): void {
    this.token = token;
    try {
      localStorage.setItem(this.storageKey, token);
    } catch {
      // As above.
    }
  }

  private async call<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth && this.token) headers.authorization = `Bearer ${this.token}`;
    const response = await fetch(`${this.base}/api/livehelp/${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
    });
    if (response.status === 204) return undefined as T;
    const payload = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      throw new ApiError(
        response.status,
        typeof payload.message === 'string' ? payload.message : 'Live Help is unavailable',
        Number(response.headers.get('retry-after') ?? 0),
      );
    }

    return payload as T;
  }
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

function readStored(key: string): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

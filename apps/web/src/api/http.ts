import type { ErrorBody, TokenPair } from '@tocsin/contracts';

/** The server answered with an error status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<ErrorBody> | undefined,
  ) {
    const message = body?.message;
    super(Array.isArray(message) ? message.join('; ') : (message ?? `HTTP ${status}`));
  }
}

/** The server could not be reached (offline, or down). */
export class NetworkError extends Error {}

export interface ClientHooks {
  /** Returns the current refresh token (it may have been rotated by another tab). */
  readRefreshToken(): string | null;
  /** A refresh produced a new pair. */
  onTokens(pair: TokenPair): void;
  /** The session ended on the server: the refresh token was refused. */
  onSessionEnded(): void;
  /** Every request that reached the server, or failed to. */
  onReachability(online: boolean): void;
}

type Body = Record<string, unknown> | unknown[] | undefined;

/**
 * Fetch with the bearer token, JSON in and out, and a silent refresh: a 401 refreshes the
 * access token once (one refresh at a time across tabs, through the Web Locks API) and
 * retries. The access token is kept in memory only.
 */
export class ApiClient {
  private accessToken: string | null = null;
  private expiresAt = 0;
  private lifetimeMs = 0;
  private readonly tokenListeners = new Set<(token: string) => void>();
  private refreshing: Promise<string | null> | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly hooks: ClientHooks) {}

  get token(): string | null {
    return this.accessToken;
  }

  /** When the access token in memory expires (ms since the epoch), 0 without one. */
  get tokenExpiresAt(): number {
    return this.expiresAt;
  }

  /** True when less than half of the token's life is left: worth refreshing now. */
  get tokenAgeing(): boolean {
    return this.expiresAt - Date.now() < this.lifetimeMs / 2;
  }

  /** Called with every new access token (the socket hands it to the server). */
  onToken(listener: (token: string) => void): () => void {
    this.tokenListeners.add(listener);

    return () => this.tokenListeners.delete(listener);
  }

  setTokens(pair: TokenPair): void {
    this.accessToken = pair.accessToken;
    this.lifetimeMs = pair.expiresIn * 1000;
    this.expiresAt = Date.now() + this.lifetimeMs;
    for (const listener of this.tokenListeners) listener(pair.accessToken);
    clearTimeout(this.refreshTimer);
    // Refresh a minute before expiry so sockets and requests never carry a dead token.
    const inMs = Math.max(5_000, (pair.expiresIn - 60) * 1000);
    this.refreshTimer = setTimeout(() => void this.refresh().catch(() => undefined), inMs);
  }

  forget(): void {
    this.accessToken = null;
    this.expiresAt = 0;
    clearTimeout(this.refreshTimer);
  }

  async request<T>(path: string, init: { method?: string; body?: Body } = {}): Promise<T> {
    if (!this.accessToken) await this.refresh();
    let response = await this.send(path, init);
    if (response.status === 401 && (await this.refresh())) response = await this.send(path, init);

    return this.parse<T>(response);
  }

  /** A call without a token (login, public configuration). */
  async publicRequest<T>(path: string, init: { method?: string; body?: Body } = {}): Promise<T> {
    return this.parse<T>(await this.send(path, init, false));
  }

  /** Gets a new access token with the stored refresh token; null when the session is over. */
  refresh(): Promise<string | null> {
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = null;
    });

    return this.refreshing;
  }

  // TODO: trade the token in the service worker. A page left (or a connection dropped) after
  // the server rotated the token but before its answer arrived keeps the spent one, and the
  // next refresh then ends the session by reuse detection.
  private async refreshOnce(): Promise<string | null> {
    const run = async (): Promise<string | null> => {
      const refreshToken = this.hooks.readRefreshToken();
      if (!refreshToken) return null;
      const response = await this.send(
        '/api/auth/refresh',
        { method: 'POST', body: { refreshToken } },
        false,
      );
      if (response.status === 401 || response.status === 400) {
        this.forget();
        this.hooks.onSessionEnded();

        return null;
      }
      const pair = await this.parse<TokenPair>(response);
      this.setTokens(pair);
      this.hooks.onTokens(pair);

      return pair.accessToken;
    };

    return navigator.locks ? navigator.locks.request('tocsin-refresh', run) : run();
  }

  private async send(
    path: string,
    init: { method?: string; body?: Body },
    withToken = true,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (withToken && this.accessToken) headers.authorization = `Bearer ${this.accessToken}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await fetch(path, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      this.hooks.onReachability(response.status < 500 || response.status === 501);

      return response;
    } catch {
      this.hooks.onReachability(false);
      throw new NetworkError('the server cannot be reached');
    }
  }

  private async parse<T>(response: Response): Promise<T> {
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!response.ok) throw new ApiError(response.status, body as Partial<ErrorBody>);

    return body as T;
  }
}

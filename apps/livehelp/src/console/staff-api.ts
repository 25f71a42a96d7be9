import type {
  CannedAnswer,
  LiveHelpChatView,
  MessagePage,
  MessageView,
  TokenPair,
} from '@tocsin/contracts';

/**
 * Storage: the representative's access and refresh tokens are kept in this tab's
 * sessionStorage (`tocsin-livehelp-console`), gone when the tab closes.
 */
const STORAGE_KEY = 'tocsin-livehelp-console';

export class StaffApi {
  tokens: TokenPair | undefined = readTokens();

  async login(email: string, password: string): Promise<void> {
    const pair = await this.call<TokenPair>('POST', '/api/auth/login', { email, password }, false);
    this.keep(pair);
  }

  logout(): void {
    this.tokens = undefined;
    sessionStorage.removeItem(STORAGE_KEY);
  }

  chats() {
    return this.call<{ waiting: LiveHelpChatView[]; mine: LiveHelpChatView[] }>(
      'GET',
      '/api/livehelp/chats',
    );
  }

  colleagues() {
    return this.call<{ id: string; displayName: string }[]>('GET', '/api/livehelp/representatives');
  }

  canned() {
    return this.call<CannedAnswer[]>('GET', '/api/livehelp/canned-answers');
  }

  messages(conversationId: string) {
    return this.call<MessagePage>('GET', `/api/conversations/${conversationId}/messages`);
  }

  act(conversationId: string, action: 'accept' | 'close' | 'block', body: object = {}) {
    return this.call<LiveHelpChatView>(
      'POST',
      `/api/livehelp/chats/${conversationId}/${action}`,
      body,
    );
  }

  transfer(conversationId: string, userId: string) {
    return this.call<LiveHelpChatView>('POST', `/api/livehelp/chats/${conversationId}/transfer`, {
      userId,
    });
  }

  send(conversationId: string, clientId: string, body: string) {
    return this.call<MessageView>('POST', `/api/livehelp/chats/${conversationId}/messages`, {
      clientId,
      body,
    });
  }

  push(conversationId: string, url: string) {
    return this.call<{ url: string }>('POST', `/api/livehelp/chats/${conversationId}/push`, {
      url,
    });
  }

  /** A fresh access token when the current one was refused; false when the session is over. */
  async refresh(): Promise<boolean> {
    if (!this.tokens) return false;
    try {
      const pair = await this.call<TokenPair>(
        'POST',
        '/api/auth/refresh',
        { refreshToken: this.tokens.refreshToken },
        false,
      );
      this.keep(pair);

      return true;
    } catch {
      this.logout();

      return false;
    }
  }

  private keep(pair: TokenPair): void {
    this.tokens = pair;
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(pair));
  }

  private async call<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    const send = () =>
      fetch(path, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(auth && this.tokens ? { authorization: `Bearer ${this.tokens.accessToken}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    let response = await send();
    if (auth && response.status === 401 && (await this.refresh())) response = await send();
    const payload = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const message = Array.isArray(payload.message) ? payload.message.join('; ') : payload.message;
      throw new Error(
        typeof message === 'string' ? message : `request failed (${response.status})`,
      );
    }

    return payload as T;
  }
}

function readTokens(): TokenPair | undefined {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') ?? undefined;
  } catch {
    return undefined;
  }
}

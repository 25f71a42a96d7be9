import type { VisitorSessionResponse } from '@tocsin/contracts';
import { io, type Socket } from 'socket.io-client';
import { el, newClientId, safeWebUrl } from '../shared/dom';
import { Panel } from './panel';
import { WIDGET_CSS } from './styles';
import { ApiError, VisitorApi } from './visitor-api';

/** How long the notice shows before a pushed page opens. */
const PUSH_DELAY_MS = 1500;
const ALERTS_EVERY_MS = 60_000;

/**
 * The Live Help widget: `<script src=".../livehelp/widget.js" data-agency="<id>">`. It adds a
 * button and a chat panel in a shadow root, talks to the API the script came from, and keeps
 * the chat across reloads and pages of the site.
 */
class LiveHelpWidget {
  private readonly api: VisitorApi;
  private readonly panel: Panel;
  private socket: Socket | undefined;
  private renewTimer: number | undefined;
  private alertsTimer: number | undefined;

  constructor(script: HTMLScriptElement) {
    const base = new URL(script.src).origin;
    this.api = new VisitorApi(base, script.dataset.agency ?? '');
    const host = el('div', { id: 'tocsin-livehelp' });
    const shadow = host.attachShadow({ mode: 'open' });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(WIDGET_CSS);
    shadow.adoptedStyleSheets = [sheet];
    const launcher = el('button', { class: 'launcher', type: 'button' }, 'Live Help');
    this.panel = new Panel(
      {
        start: (name, topic) => void this.start(name, topic),
        send: (text) => void this.send(text),
        end: () => void this.end(),
        restart: () => this.restart(),
      },
      launcher,
    );
    shadow.append(launcher, this.panel.root);
    document.body.append(host);
  }

  async boot(): Promise<void> {
    if (!this.api.token) return this.panel.showStart();
    try {
      this.opened(await this.api.resume());
      this.panel.toggle(true);
    } catch (error) {
      this.api.forget();
      const ended = error instanceof ApiError && error.status === 409;
      this.panel.showStart(ended ? 'Your previous chat has ended.' : '');
    }
  }

  private async start(name: string, topic: string): Promise<void> {
    try {
      this.opened(await this.api.start(name, topic));
    } catch (error) {
      this.panel.showError(describe(error));
    }
  }

  private opened(session: VisitorSessionResponse): void {
    this.panel.showError('');
    this.panel.showChat(session.session, session.messages);
    this.connect(session.session.pushMode);
    this.scheduleRenewal(session.expiresAt);
    void this.refreshAlerts();
    window.clearInterval(this.alertsTimer);
    this.alertsTimer = window.setInterval(() => void this.refreshAlerts(), ALERTS_EVERY_MS);
  }

  private connect(pushMode: string): void {
    this.socket?.close();
    // TODO: WebSocket only; a long-polling fallback for proxies that block WebSockets would
    // need CORS for the agency's sites on the Socket.IO server's polling requests.
    const socket = io(`${this.api.base}/livehelp`, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: (send) => send({ token: this.api.token }),
    });
    socket.on('connect', () => void this.catchUp());
    // The server closes the socket when the token it was opened with expires (or the visitor
    // is blocked): renew the token, then reconnect; a refused renewal ends the chat here.
    socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') void this.reconnect(socket);
    });
    socket.on('livehelp.message', (message) => this.panel.addMessage(message));
    socket.on('livehelp.session', (session) => {
      this.panel.setSession(session);
      if (session.status === 'closed') this.ended();
    });
    socket.on('livehelp.push', (push: { url: string; mode: string; notice: string }) =>
      this.follow(push.url, push.mode || pushMode, push.notice),
    );
    this.socket = socket;
  }

  private async reconnect(socket: Socket): Promise<void> {
    if (!this.api.token) return;
    try {
      this.scheduleRenewal((await this.api.resume()).expiresAt);
      socket.connect();
    } catch {
      this.ended();
    }
  }

  private async catchUp(): Promise<void> {
    const missed = await this.api.messages(this.panel.lastSeq()).catch(() => []);
    for (const message of missed) this.panel.addMessage(message);
  }

  private follow(url: string, mode: string, notice: string): void {
    const href = safeWebUrl(url);
    if (!href) return;
    this.panel.toggle(true);
    this.panel.showPush(notice, href);
    window.setTimeout(() => {
      if (mode === 'new_tab') window.open(href, '_blank', 'noopener');
      else window.location.assign(href);
    }, PUSH_DELAY_MS);
  }

  private async send(text: string): Promise<void> {
    try {
      this.panel.showError('');
      this.panel.addMessage(await this.api.send(newClientId(), text));
    } catch (error) {
      this.panel.showError(describe(error));
    }
  }

  private async end(): Promise<void> {
    await this.api.close().catch(() => undefined);
    this.ended();
  }

  private ended(): void {
    this.api.forget();
    this.socket?.close();
    window.clearTimeout(this.renewTimer);
    window.clearInterval(this.alertsTimer);
    this.panel.showEnded();
  }

  private restart(): void {
    this.panel.showStart();
  }

  /** Renews the token halfway through its life while the chat is open. */
  private scheduleRenewal(expiresAt: string): void {
    window.clearTimeout(this.renewTimer);
    const delay = Math.max(5_000, (Date.parse(expiresAt) - Date.now()) / 2);
    this.renewTimer = window.setTimeout(() => {
      this.api.resume().then(
        (session) => this.scheduleRenewal(session.expiresAt),
        () => this.ended(),
      );
    }, delay);
  }

  private async refreshAlerts(): Promise<void> {
    const alerts = await this.api.alerts().catch(() => []);
    this.panel.showAlerts(alerts);
  }
}

function describe(error: unknown): string {
  if (error instanceof ApiError && error.status === 429) {
    return `Too many messages: please wait ${error.retryAfterSeconds || 'a few'} seconds.`;
  }
  if (error instanceof ApiError) return error.message;

  return 'Live Help is unavailable right now.';
}

const script = document.currentScript as HTMLScriptElement | null;
if (script?.dataset.agency) {
  const start = () => void new LiveHelpWidget(script).boot();
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
}

import type { CannedAnswer, LiveHelpChatView, MessageView } from '@tocsin/contracts';
import { io, type Socket } from 'socket.io-client';
import { el, fill } from '../shared/dom';
import { ChatPane } from './chat-pane';
import { StaffApi } from './staff-api';
import './console.css';

/**
 * The representatives' console at `/livehelp/`: sign in, see the queue with topics and
 * waiting times, accept visitors, and chat with several at once.
 */
class Console {
  private readonly api = new StaffApi();
  private readonly queue = el('ul', { class: 'queue', 'aria-label': 'Waiting visitors' });
  private readonly mine = el('ul', { class: 'mine', 'aria-label': 'Your chats' });
  private readonly pane = el('div', { class: 'pane' });
  private readonly error = el('p', { class: 'error', role: 'alert' });
  private open: ChatPane | undefined;
  private canned: CannedAnswer[] = [];
  private colleagues: { id: string; displayName: string }[] = [];

  constructor(private readonly root: HTMLElement) {}

  start(): void {
    if (this.api.tokens) void this.enter();
    else this.showLogin();
  }

  private showLogin(message = ''): void {
    const email = el('input', {
      name: 'email',
      type: 'email',
      placeholder: 'Email',
      required: true,
    });
    const password = el('input', {
      name: 'password',
      type: 'password',
      placeholder: 'Password',
      required: true,
    });
    const error = el('p', { class: 'error', role: 'alert' }, message);
    const form = el(
      'form',
      { class: 'login' },
      el('h1', {}, 'Live Help'),
      email,
      password,
      el('button', { type: 'submit' }, 'Sign in'),
      error,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.api.login(email.value, password.value).then(
        () => this.enter(),
        (failure: Error) => (error.textContent = failure.message),
      );
    });
    fill(this.root, form);
  }

  private async enter(): Promise<void> {
    try {
      [this.canned, this.colleagues] = await Promise.all([
        this.api.canned(),
        this.api.colleagues(),
      ]);
    } catch (error) {
      this.api.logout();
      return this.showLogin(error instanceof Error ? error.message : '');
    }
    fill(
      this.root,
      el(
        'aside',
        {},
        el('h1', {}, 'Live Help'),
        el('h2', {}, 'Waiting'),
        this.queue,
        el('h2', {}, 'Your chats'),
        this.mine,
        this.error,
      ),
      this.pane,
    );
    this.connect();
    await this.refresh();
  }

  private connect(): void {
    const socket: Socket = io('/livehelp', {
      path: '/socket.io',
      transports: ['websocket'],
      auth: (send) => send({ token: this.api.tokens?.accessToken }),
    });
    socket.on('connect_error', () => void this.api.refresh());
    // Closed by the server when the access token expires: refresh it and come back.
    socket.on('disconnect', (reason) => {
      if (reason !== 'io server disconnect') return;
      void this.api.refresh().then((ok) => (ok ? socket.connect() : this.showLogin()));
    });
    socket.on('connect', () => void this.refresh());
    socket.on('livehelp.queue', ({ waiting }: { waiting: LiveHelpChatView[] }) =>
      this.showQueue(waiting),
    );
    socket.on('livehelp.chat', () => void this.refresh());
    socket.on('message.created', (message: MessageView) => this.open?.add(message));
  }

  private async refresh(): Promise<void> {
    try {
      const { waiting, mine } = await this.api.chats();
      this.showQueue(waiting);
      fill(
        this.mine,
        ...mine.map((chat) =>
          el(
            'li',
            {},
            el(
              'button',
              { type: 'button', onclick: () => void this.select(chat) },
              `${chat.name ?? 'Visitor'} — ${chat.topic ?? 'no topic'}`,
            ),
          ),
        ),
      );
      if (
        this.open &&
        !mine.some((chat) => chat.conversationId === this.open?.chat.conversationId)
      ) {
        this.open = undefined;
        fill(this.pane, el('p', {}, 'The chat was closed or handed over.'));
      }
    } catch (error) {
      this.error.textContent = error instanceof Error ? error.message : 'failed';
    }
  }

  private showQueue(waiting: LiveHelpChatView[]): void {
    fill(
      this.queue,
      ...waiting.map((chat) =>
        el(
          'li',
          { 'data-conversation': chat.conversationId },
          el('strong', { class: 'name' }, chat.name ?? 'Visitor'),
          el('span', { class: 'topic' }, ` ${chat.topic ?? ''}`),
          el('span', { class: 'waited' }, ` waiting ${minutes(chat.waitingSeconds)}`),
          el('button', { type: 'button', onclick: () => void this.accept(chat) }, 'Accept'),
        ),
      ),
      waiting.length === 0 ? el('li', { class: 'empty' }, 'Nobody is waiting.') : null,
    );
  }

  private async accept(chat: LiveHelpChatView): Promise<void> {
    try {
      await this.select(await this.api.act(chat.conversationId, 'accept'));
      await this.refresh();
    } catch (error) {
      this.error.textContent = error instanceof Error ? error.message : 'failed';
    }
  }

  private async select(chat: LiveHelpChatView): Promise<void> {
    this.open = new ChatPane(
      this.api,
      chat,
      this.canned,
      this.colleagues,
      () => void this.refresh(),
    );
    fill(this.pane, this.open.root);
    await this.open.load();
  }
}

function minutes(seconds: number): string {
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min`;
}

new Console(document.getElementById('app')!).start();

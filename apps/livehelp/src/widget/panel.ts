import type { LiveHelpAlertView, VisitorMessageView, VisitorSessionView } from '@tocsin/contracts';
import { el, fill, safeWebUrl } from '../shared/dom';

export interface PanelActions {
  start(name: string, topic: string): void;
  send(text: string): void;
  end(): void;
  restart(): void;
}

/**
 * The chat panel inside the shadow root. It only draws: every name, topic and message goes
 * in as a text node. Links appear only for pushed pages, and only as http(s) URLs.
 */
export class Panel {
  readonly root: HTMLElement;
  private readonly status = el('div', { class: 'status' });
  private readonly title = el('h2', {}, 'Live Help');
  private readonly alerts = el('div', { class: 'alerts', role: 'status' });
  private readonly log = el('div', { class: 'log', 'aria-live': 'polite' });
  private readonly notice = el('div', { class: 'notice', role: 'alert' });
  private readonly error = el('div', { class: 'error', role: 'alert' });
  private readonly footer = el('div');
  private readonly messages = new Map<string, VisitorMessageView>();

  constructor(
    private readonly actions: PanelActions,
    launcher: HTMLButtonElement,
  ) {
    this.root = el(
      'section',
      { class: 'panel', hidden: true, 'aria-label': 'Live Help chat' },
      el('header', {}, this.title, this.status),
      this.alerts,
      this.log,
      this.notice,
      this.error,
      this.footer,
    );
    launcher.addEventListener('click', () => this.toggle());
  }

  toggle(open = this.root.hidden): void {
    this.root.hidden = !open;
  }

  showStart(message = ''): void {
    this.messages.clear();
    fill(this.log, message ? el('p', {}, message) : null);
    this.status.textContent = 'Chat with us';
    const name = el('input', { name: 'name', placeholder: 'Your name (optional)', maxLength: 80 });
    const topic = el('input', {
      name: 'topic',
      placeholder: 'What do you need help with?',
      maxLength: 200,
    });
    const form = el(
      'form',
      { class: 'start' },
      name,
      topic,
      el('button', { type: 'submit' }, 'Start chat'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.actions.start(name.value.trim(), topic.value.trim());
    });
    fill(this.footer, form);
  }

  showChat(session: VisitorSessionView, messages: VisitorMessageView[]): void {
    this.title.textContent = `Live Help: ${session.agencyName}`;
    this.messages.clear();
    fill(this.log);
    for (const message of messages) this.addMessage(message);
    this.setSession(session);
  }

  showEnded(): void {
    this.status.textContent = 'This chat has ended.';
    const again = el('button', { type: 'button' }, 'Start a new chat');
    again.addEventListener('click', () => this.actions.restart());
    fill(this.footer, el('form', {}, again));
  }

  setSession(session: VisitorSessionView): void {
    if (session.status === 'closed') return this.showEnded();
    this.status.textContent =
      session.status === 'waiting'
        ? 'Waiting for a representative…'
        : `Chatting with ${session.representativeName ?? 'a representative'}`;
    if (this.footer.querySelector('textarea')) return;
    const input = el('textarea', { name: 'message', rows: 2, placeholder: 'Type a message' });
    const form = el(
      'form',
      {},
      input,
      el('button', { type: 'submit' }, 'Send'),
      el(
        'button',
        { type: 'button', class: 'secondary', onclick: () => this.actions.end() },
        'End',
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (input.value.trim() === '') return;
      this.actions.send(input.value);
      input.value = '';
    });
    fill(this.footer, form);
  }

  addMessage(message: VisitorMessageView): void {
    const known = this.messages.get(message.id);
    if (known && (known.editedAt ?? '') >= (message.editedAt ?? '') && !message.deletedAt) return;
    this.messages.set(message.id, message);
    const ordered = [...this.messages.values()].sort((a, b) => a.seq - b.seq);
    fill(
      this.log,
      ...ordered.map((item) =>
        el(
          'div',
          { class: item.fromVisitor ? 'msg mine' : 'msg', 'data-seq': String(item.seq) },
          el('span', { class: 'who' }, item.fromVisitor ? 'You' : (item.senderName ?? 'Agency')),
          item.deletedAt ? '[deleted]' : (item.body ?? ''),
        ),
      ),
    );
    this.log.scrollTop = this.log.scrollHeight;
  }

  lastSeq(): number {
    return Math.max(0, ...[...this.messages.values()].map((message) => message.seq));
  }

  showAlerts(alerts: LiveHelpAlertView[]): void {
    fill(
      this.alerts,
      ...alerts.map((alert) =>
        el('div', {}, el('strong', {}, `${alert.severity}: ${alert.event}`), ` ${alert.headline}`),
      ),
    );
  }

  /** The visible notice before a pushed page opens, with the link in case it does not. */
  showPush(notice: string, url: string): void {
    const href = safeWebUrl(url);
    fill(this.notice, `${notice}: `, href ? el('a', { href, target: '_top' }, href) : url);
  }

  showError(message: string): void {
    this.error.textContent = message;
  }
}

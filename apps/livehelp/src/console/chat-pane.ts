import type { CannedAnswer, LiveHelpChatView, MessageView } from '@tocsin/contracts';
import { el, fill, newClientId } from '../shared/dom';
import type { StaffApi } from './staff-api';

/**
 * One open chat: its messages, the reply box with canned answers, pushing a page, and the
 * transfer, close and block actions. Every visitor-supplied text is a text node.
 */
export class ChatPane {
  readonly root = el('section', { class: 'chat', 'aria-label': 'Chat' });
  private readonly log = el('div', { class: 'log', 'aria-live': 'polite' });
  private readonly error = el('p', { class: 'error', role: 'alert' });
  private readonly messages = new Map<string, MessageView>();

  constructor(
    private readonly api: StaffApi,
    readonly chat: LiveHelpChatView,
    private readonly canned: CannedAnswer[],
    private readonly colleagues: { id: string; displayName: string }[],
    private readonly changed: () => void,
  ) {
    this.render();
  }

  async load(): Promise<void> {
    const page = await this.api.messages(this.chat.conversationId);
    for (const message of page.messages) this.add(message);
  }

  add(message: MessageView): void {
    if (message.conversationId !== this.chat.conversationId) return;
    this.messages.set(message.id, message);
    const ordered = [...this.messages.values()].sort((a, b) => a.seq - b.seq);
    fill(
      this.log,
      ...ordered.map((item) =>
        el(
          'div',
          { class: item.senderId === null ? 'msg visitor' : 'msg', 'data-seq': String(item.seq) },
          el('span', { class: 'who' }, item.senderName ?? 'Visitor'),
          item.deletedAt ? '[deleted]' : (item.body ?? ''),
        ),
      ),
    );
    this.log.scrollTop = this.log.scrollHeight;
  }

  private render(): void {
    const chat = this.chat;
    const reply = el('textarea', { name: 'reply', rows: 2, placeholder: 'Reply to the visitor' });
    const cannedPick = el(
      'select',
      { name: 'canned', 'aria-label': 'Canned answer' },
      el('option', { value: '' }, 'Canned answers…'),
      ...this.canned.map((answer, index) => el('option', { value: String(index) }, answer.title)),
    );
    cannedPick.addEventListener('change', () => {
      const answer = this.canned[Number(cannedPick.value)];
      if (answer) reply.value = answer.body;
      cannedPick.value = '';
    });
    const replyForm = el(
      'form',
      { class: 'reply' },
      reply,
      el('button', { type: 'submit' }, 'Send'),
    );
    replyForm.addEventListener('submit', (event) => {
      event.preventDefault();
      if (reply.value.trim() === '') return;
      void this.run(async () => {
        this.add(await this.api.send(chat.conversationId, newClientId(), reply.value));
        reply.value = '';
      });
    });
    const link = el('input', {
      name: 'pushUrl',
      type: 'url',
      placeholder: 'https://… page to open',
    });
    const pushForm = el(
      'form',
      { class: 'push' },
      link,
      el('button', { type: 'submit' }, 'Push page'),
    );
    pushForm.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.run(async () => {
        await this.api.push(chat.conversationId, link.value);
        link.value = '';
      });
    });
    const target = el(
      'select',
      { name: 'transferTo', 'aria-label': 'Transfer to' },
      ...this.colleagues
        .filter((colleague) => colleague.id !== chat.representativeId)
        .map((colleague) => el('option', { value: colleague.id }, colleague.displayName)),
    );
    const actions = el(
      'div',
      { class: 'actions' },
      target,
      this.button('Transfer', () => this.api.transfer(chat.conversationId, target.value)),
      this.button('Close chat', () => this.api.act(chat.conversationId, 'close')),
      this.button('Block visitor', () => this.api.act(chat.conversationId, 'block')),
    );
    fill(
      this.root,
      el('h2', {}, chat.name ?? 'Visitor'),
      el('p', { class: 'meta' }, `Topic: ${chat.topic ?? '—'} · from ${chat.origin}`),
      this.log,
      this.error,
      cannedPick,
      replyForm,
      pushForm,
      actions,
    );
  }

  private button(label: string, action: () => Promise<unknown>): HTMLButtonElement {
    return el(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: () =>
          void this.run(async () => {
            await action();
            this.changed();
          }),
      },
      label,
    );
  }

  private async run(action: () => Promise<void>): Promise<void> {
    this.error.textContent = '';
    try {
      await action();
    } catch (error) {
      this.error.textContent = error instanceof Error ? error.message : 'failed';
    }
  }
}

import { Store } from '../lib/external-store';

export interface Notice {
  id: number;
  text: string;
}

let nextId = 1;

/** Short messages for the user (a refused response, a failed send), shown in a live region. */
class Notices extends Store<Notice[]> {
  push(text: string): void {
    const notice = { id: nextId++, text };
    this.update((list) => [...list.slice(-2), notice]);
    setTimeout(() => this.dismiss(notice.id), 8000);
  }

  dismiss(id: number): void {
    this.update((list) => list.filter((notice) => notice.id !== id));
  }
}

export const notices = new Notices([]);

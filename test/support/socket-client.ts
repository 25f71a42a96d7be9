import { io, type Socket } from 'socket.io-client';

export interface Received {
  event: string;
  payload: any;
}

/**
 * A real Socket.IO client that records every event it gets and acknowledges the ones that
 * ask for it (unless `autoAck` is false), as the PWA does.
 */
export class TestSocket {
  readonly received: Received[] = [];
  autoAck = true;

  private constructor(readonly socket: Socket) {
    socket.onAny((event: string, ...args: unknown[]) => {
      const last = args.at(-1);
      const ack = typeof last === 'function' ? (last as (value: unknown) => void) : undefined;
      this.received.push({ event, payload: args[0] });
      if (ack && this.autoAck) ack({ ok: true });
    });
  }

  /** `auth` adds to the handshake's `auth` (the token is set from `token`). */
  static connect(
    url: string,
    token: string | undefined,
    options: { autoAck?: boolean; auth?: Record<string, unknown> } = {},
  ) {
    const socket = io(url, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { ...options.auth, ...(token === undefined ? {} : { token }) },
      reconnection: false,
      forceNew: true,
    });
    const client = new TestSocket(socket);
    if (options.autoAck === false) client.autoAck = false;

    return new Promise<TestSocket>((resolve, reject) => {
      socket.once('connect', () => resolve(client));
      socket.once('connect_error', (error: Error) => {
        socket.close();
        reject(error);
      });
    });
  }

  events(name: string): any[] {
    return this.received.filter((r) => r.event === name).map((r) => r.payload);
  }

  /** Waits until `count` events of that name have arrived, or fails after `timeoutMs`. */
  async waitFor(name: string, count = 1, timeoutMs = 5000): Promise<any[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events(name).length < count) {
      if (Date.now() > deadline) {
        const seen = this.received.map((r) => r.event).join(', ') || 'nothing';
        throw new Error(`expected ${count} × ${name} within ${timeoutMs} ms; received: ${seen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    return this.events(name);
  }

  /** Sends a client event and resolves with its acknowledgement. */
  emit(event: string, payload: unknown, timeoutMs = 5000): Promise<any> {
    return this.socket.timeout(timeoutMs).emitWithAck(event, payload);
  }

  close(): void {
    this.socket.close();
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

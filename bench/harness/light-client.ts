import WebSocket from 'ws';

export type ClientMode = 'raw' | 'socket.io';

/**
 * The smallest client that speaks what the servers under test speak: a raw WebSocket, or
 * Socket.IO v4 over the `websocket` transport only (engine.io open, namespace connect with
 * `auth`, pings, events, acknowledgements). Thousands fit in one process, and every server
 * is measured against the same client code.
 */
export class LightClient {
  private socket!: WebSocket;
  /** Arrival time (performance.now) and text of every event received. */
  readonly events: { at: number; text: string }[] = [];
  /** Called on every event (after it is recorded), for counting without polling. */
  static onEvent: (text: string) => void = () => undefined;

  private constructor(readonly mode: ClientMode) {}

  static connect(url: string, mode: ClientMode, token?: string, timeoutMs = 30_000) {
    const client = new LightClient(mode);
    const target =
      mode === 'raw' ? url : `${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;

    return new Promise<LightClient>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('connect timed out')), timeoutMs);
      const done = (error?: Error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(client);
      };
      const socket = new WebSocket(target.replace(/^http/, 'ws'), { perMessageDeflate: false });
      client.socket = socket;
      socket.on('error', (error) => done(error));
      socket.on('open', () => {
        if (mode === 'raw') done();
      });
      socket.on('message', (data: Buffer) => client.onMessage(data.toString(), token, done));
    });
  }

  private onMessage(text: string, token: string | undefined, connected: (e?: Error) => void) {
    if (this.mode === 'raw') {
      // The floor writes Socket.IO's bytes: keep the event part, as for Socket.IO.
      const event = text.slice(text.indexOf('['));
      this.events.push({ at: performance.now(), text: event });
      LightClient.onEvent(event);

      return;
    }
    switch (text[0]) {
      case '0':
        this.socket.send(`40${JSON.stringify(token ? { token } : {})}`);
        break;
      case '2':
        this.socket.send('3');
        break;
      case '4':
        this.onPacket(text, connected);
        break;
      default:
    }
  }

  private onPacket(text: string, connected: (e?: Error) => void) {
    const type = text[1];
    if (type === '0') connected();
    else if (type === '4') connected(new Error(`refused: ${text.slice(2)}`));
    else if (type === '2') {
      const bracket = text.indexOf('[');
      this.events.push({ at: performance.now(), text: text.slice(bracket) });
      // An event with an id asks for an acknowledgement, as the PWA gives it.
      if (bracket > 2) this.socket.send(`43${text.slice(2, bracket)}[{"ok":true}]`);
      LightClient.onEvent(text.slice(bracket));
    }
  }

  close(): void {
    this.socket.terminate();
  }
}

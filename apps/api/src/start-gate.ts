import type { Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * Takes the API's port at the very start of the process and holds the connections that arrive
 * while the rest starts (modules, Nest, migrations check, outbox sweep), then hands them to the
 * HTTP server. Nothing is read or answered before that, so every start-up step still happens
 * before the first request is served; but a client reconnecting after a restart gets its TCP
 * connection at once and is answered the moment the API is ready, instead of being refused and
 * waiting out its backoff (up to 7.5 s in the PWA) for its next attempt.
 */
export class StartGate {
  private readonly held = new Set<Socket>();
  private target: HttpServer | undefined;

  private constructor(private readonly server: Server) {
    server.on('connection', (socket) => this.admit(socket));
  }

  /** Listens on `port` (0: any free port) with every new connection paused. */
  static open(port: number, host: string | undefined): Promise<StartGate> {
    const server = createServer({ pauseOnConnect: true });
    const gate = new StartGate(server);

    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(gate);
      });
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** From now on `target` serves every connection, the held ones first. */
  handOver(target: HttpServer): void {
    this.target = target;
    for (const socket of this.held) this.pass(socket);
    this.held.clear();
  }

  /** Stops accepting; connections still held (a failed start) are dropped. */
  close(): Promise<void> {
    for (const socket of this.held) socket.destroy();
    this.held.clear();

    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private admit(socket: Socket): void {
    if (this.target) return this.pass(socket);

    // A client that gives up while waiting is forgotten.
    this.held.add(socket);
    socket.once('close', () => this.held.delete(socket));
  }

  private pass(socket: Socket): void {
    // The HTTP server attaches its parser on `connection`; the bytes wait in the kernel until
    // the socket is resumed after that, so none is lost.
    this.target!.emit('connection', socket);
    socket.resume();
  }
}

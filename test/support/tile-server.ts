import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';

/**
 * A local XYZ tile server for browser tests: every /{z}/{x}/{y}.png answers a 256×256 PNG
 * (a dark tile with a faint grid line), so the map draws without the internet.
 */
export class TileServer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<TileServer> {
    const png = tilePng();
    const server = createServer((req, res) => {
      if (!/^\/\d+\/\d+\/\d+\.png$/.test(req.url ?? '')) {
        res.writeHead(404).end();

        return;
      }
      res.writeHead(200, {
        'content-type': 'image/png',
        'cache-control': 'max-age=60',
        'access-control-allow-origin': '*',
      });
      res.end(png);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    return new TileServer(server, `http://127.0.0.1:${port}`);
  }

  /** The TILE_URL template for this server. */
  get template(): string {
    return `${this.url}/{z}/{x}/{y}.png`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function tilePng(): Buffer {
  const size = 256;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const edge = x === 0 || y === 0;
      row.writeUIntBE(edge ? 0x3a4656 : 0x2a323d, 1 + x * 3, 3);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);

  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));

  return Buffer.concat([length, body, crc]);
}

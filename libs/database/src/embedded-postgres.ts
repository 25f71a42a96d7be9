import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** How the `pg` driver reaches the embedded server: a Unix socket in a private folder. */
export interface EmbeddedPostgresAddress {
  socketDir: string;
  port: number;
  user: string;
  database: string;
}

const SOCKET_PORT = 5432;
const MAX_CONNECTIONS = 20;

/**
 * PostgreSQL (PGlite, with PostGIS) inside this process, served on a Unix socket so the
 * ordinary `pg` driver and the same SQL work unchanged. Data lives in `<dataDir>/pgdata`.
 * One process at a time may own a data folder; a lock file guards it.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly lockFile: string,
    readonly address: EmbeddedPostgresAddress,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    await mkdir(dataDir, { recursive: true });
    const lockFile = path.join(dataDir, 'pgdata.lock');
    await takeLock(lockFile);

    try {
      const db = await PGlite.create({
        dataDir: path.join(dataDir, 'pgdata'),
        extensions: { postgis },
      });
      // A socket path must stay under ~100 bytes, so it lives in the temp folder, not DATA_DIR.
      const socketDir = await mkdtemp(path.join(os.tmpdir(), 'tocsin-db-'));
      const server = new PGLiteSocketServer({
        db,
        path: path.join(socketDir, `.s.PGSQL.${SOCKET_PORT}`),
        maxConnections: MAX_CONNECTIONS,
      });
      await server.start();
      const address = { socketDir, port: SOCKET_PORT, user: 'postgres', database: 'postgres' };

      return new EmbeddedPostgres(db, server, lockFile, address);
    } catch (error) {
      await rm(lockFile, { force: true });
      throw error;
    }
  }

  /** Stops serving and closes the database so everything written is on disk. */
  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
    await rm(this.address.socketDir, { recursive: true, force: true });
    await rm(this.lockFile, { force: true });
  }
}

async function takeLock(lockFile: string): Promise<void> {
  const holder = await readFile(lockFile, 'utf8').catch(() => undefined);
  const holderPid = Number(holder);
  if (holderPid && holderPid !== process.pid && isAlive(holderPid)) {
    throw new Error(
      `the embedded database in ${path.dirname(lockFile)} is in use by process ${holderPid}; ` +
        'stop it or choose another DATA_DIR',
    );
  }

  await writeFile(lockFile, String(process.pid));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);

    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

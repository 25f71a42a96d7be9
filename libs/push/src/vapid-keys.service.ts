import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import { DataSource } from 'typeorm';
import * as webpush from 'web-push';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

/**
 * The server's VAPID identity. Configured keys win; otherwise a pair is generated on the
 * first start and kept in the database, where every process reads the same one (the insert
 * is a no-op for all but the first). Changing keys orphans every browser subscription.
 */
@Injectable()
export class VapidKeysService implements OnApplicationBootstrap {
  private readonly logger = new Logger(VapidKeysService.name);
  private keys: Promise<VapidKeys> | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const keys = await this.get();
    if (!this.config.push.subjectConfigured && this.config.env === 'production') {
      this.logger.warn(
        { subject: keys.subject },
        'VAPID_SUBJECT is not set; push services ' + 'may refuse the default contact',
      );
    }
  }

  /** The key pair and subject; loaded once, then served from memory. */
  get(): Promise<VapidKeys> {
    this.keys ??= this.load().catch((error: unknown) => {
      this.keys = undefined;
      throw error;
    });

    return this.keys;
  }

  async publicKey(): Promise<string> {
    return (await this.get()).publicKey;
  }

  private async load(): Promise<VapidKeys> {
    const subject = this.config.push.subject;
    if (this.config.push.vapidKeys) return { ...this.config.push.vapidKeys, subject };

    const generated = webpush.generateVAPIDKeys();
    // TODO: the private key is stored as plain text; encrypt it with a key from the
    // environment (or a KMS) once the platform has a secrets facility.
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO push_vapid_keys (id, public_key, private_key) VALUES (1, $1, $2)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [generated.publicKey, generated.privateKey],
    );
    const [row] = (await this.dataSource.query(
      'SELECT public_key, private_key FROM push_vapid_keys WHERE id = 1',
    )) as Array<{ public_key: string; private_key: string }>;
    if (inserted.length > 0) this.logger.log('generated the VAPID key pair and stored it');

    return { publicKey: row.public_key, privateKey: row.private_key, subject };
  }
}

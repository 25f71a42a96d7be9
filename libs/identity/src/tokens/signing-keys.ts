import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import type { EntityManager } from 'typeorm';
import { SigningKeyEntity } from '../entities';

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
}

/** Arbitrary constant: the advisory lock that makes key generation happen once. */
const KEY_LOCK = 0x70c5_0001;

/**
 * The ES256 keys that sign and verify access tokens. A key given in configuration is the only
 * key; otherwise one is generated at the first start and kept in the database, so every API
 * process signs with the same key. `kid` is the RFC 7638 thumbprint of the public key.
 *
 * TODO: key rotation (a new key signs, retired keys verify until their tokens expire) needs a
 * command to add a key and a reload of the verification keys in running processes.
 */
@Injectable()
export class SigningKeys implements OnModuleInit {
  private readonly logger = new Logger(SigningKeys.name);
  private current: SigningKey | undefined;
  private readonly verificationKeys = new Map<string, KeyObject>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectEntityManager() private readonly manager: EntityManager,
  ) {}

  async onModuleInit(): Promise<void> {
    const configured = this.config.identity.jwt.privateKey;
    if (configured) {
      this.use([{ privateKey: parseP256(configured) }]);
      this.logger.log({ kid: this.current?.kid }, 'signing tokens with the configured key');

      return;
    }

    const stored = await this.manager.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
      const rows = await this.loadStored(tx);
      if (rows.length > 0) return rows;

      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const publicKey = createPublicKey(privateKey);
      await tx.insert(SigningKeyEntity, {
        kid: thumbprint(publicKey),
        algorithm: 'ES256',
        privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      });
      this.logger.warn('generated a token signing key and stored it in the database');

      return this.loadStored(tx);
    });
    this.use(stored.map((row) => ({ privateKey: parseP256(row.privateKeyPem) })));
  }

  /** The key new tokens are signed with. */
  signingKey(): SigningKey {
    if (!this.current) throw new Error('signing keys are not loaded yet');

    return this.current;
  }

  /** The public key for a `kid`, or undefined for a kid we never issued. */
  verificationKey(kid: string): KeyObject | undefined {
    return this.verificationKeys.get(kid);
  }

  private async loadStored(tx: EntityManager): Promise<SigningKeyEntity[]> {
    return tx
      .createQueryBuilder(SigningKeyEntity, 'k')
      .addSelect('k.privateKeyPem')
      .where('k.retiredAt IS NULL')
      .orderBy('k.createdAt', 'DESC')
      .getMany();
  }

  /** The first key signs; all of them verify. */
  private use(keys: { privateKey: KeyObject }[]): void {
    this.verificationKeys.clear();
    for (const key of keys) {
      const publicKey = createPublicKey(key.privateKey);
      this.verificationKeys.set(thumbprint(publicKey), publicKey);
    }
    const first = keys[0];
    this.current = {
      kid: thumbprint(createPublicKey(first.privateKey)),
      privateKey: first.privateKey,
    };
  }
}

function parseP256(pem: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('the token signing key must be an EC P-256 private key (ES256)');
  }

  return key;
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of an EC public key. */
export function thumbprint(publicKey: KeyObject): string {
  const jwk = publicKey.export({ format: 'jwk' });
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });

  return createHash('sha256').update(canonical).digest('base64url');
}

import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import type { EntityManager } from 'typeorm';
import { AgencyEntity, UserEntity } from './entities';
import { Passwords } from './passwords';

/** Arbitrary constant: the advisory lock that makes the bootstrap happen once. */
const BOOTSTRAP_LOCK = 0x70c5_0002;
export const PLATFORM_AGENCY_NAME = 'Platform';

/**
 * On the first start with no users at all, creates the "Platform" agency and its operator
 * from TOCSIN_ADMIN_EMAIL / TOCSIN_ADMIN_PASSWORD. Without a configured password one is
 * generated and written to the log once, at warn level; it must be changed at first login.
 */
@Injectable()
export class OperatorBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(OperatorBootstrap.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectEntityManager() private readonly manager: EntityManager,
    private readonly passwords: Passwords,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { email, password: configured } = this.config.identity.admin;
    const password = configured ?? randomBytes(18).toString('base64url');
    const hash = await this.passwords.hash(password);

    const created = await this.manager.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
      if (await tx.exists(UserEntity)) return false;

      const agency = tx.create(AgencyEntity, { name: PLATFORM_AGENCY_NAME });
      await tx.insert(AgencyEntity, agency);
      const operator = tx.create(UserEntity, {
        agencyId: agency.id,
        email,
        displayName: 'Platform operator',
        role: 'admin',
        isOperator: true,
        passwordHash: hash,
        mustChangePassword: configured === undefined,
        disabledAt: null,
      });
      await tx.insert(UserEntity, operator);
      await this.audit.record(tx, {
        agencyId: agency.id,
        actorId: null,
        action: 'platform.bootstrapped',
        targetType: 'user',
        targetId: operator.id,
        data: { email, generatedPassword: configured === undefined },
      });

      return true;
    });
    if (!created) return;

    if (configured) {
      this.logger.log({ email }, 'created the platform operator from TOCSIN_ADMIN_EMAIL');
    } else {
      // Deliberately in the message: this is the only time the password exists in clear.
      this.logger.warn(
        { email },
        `created the platform operator ${email} with the generated password ` +
          `"${password}"; it is shown only this once: log in and change it now`,
      );
    }
  }
}

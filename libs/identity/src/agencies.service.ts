import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import { DomainError } from '@tocsin/common';
import type { AgencyView } from '@tocsin/contracts';
import type { Principal } from '@tocsin/http';
import type { EntityManager } from 'typeorm';
import { AgencyEntity } from './entities';
import { agencyNotFound, IdentityPolicy } from './identity.policy';
import { toAgencyView } from './views';

/** Agencies (tenants): created by the platform operator, seen by their own staff. */
@Injectable()
export class AgenciesService {
  constructor(
    @InjectEntityManager() private readonly manager: EntityManager,
    private readonly policy: IdentityPolicy,
    private readonly audit: AuditService,
  ) {}

  async create(principal: Principal, name: string): Promise<AgencyView> {
    this.policy.assertCanCreateAgency(principal);
    const trimmed = name.trim();
    await this.assertNameFree(trimmed);

    const agency = await this.manager.transaction(async (tx) => {
      const created = tx.create(AgencyEntity, { name: trimmed });
      await tx.insert(AgencyEntity, created);
      const saved = await tx.findOneByOrFail(AgencyEntity, { id: created.id });
      await this.audit.record(tx, {
        agencyId: principal.agencyId,
        actorId: principal.userId,
        action: 'agency.created',
        targetType: 'agency',
        targetId: saved.id,
        data: { name: saved.name },
      });

      return saved;
    });

    return toAgencyView(agency);
  }

  /** The operator sees every agency; anyone else sees their own. */
  async list(principal: Principal): Promise<AgencyView[]> {
    const query = this.manager.createQueryBuilder(AgencyEntity, 'a').orderBy('a.name', 'ASC');
    if (!principal.isOperator) query.where('a.id = :id', { id: principal.agencyId });

    return (await query.getMany()).map(toAgencyView);
  }

  async get(principal: Principal, agencyId: string): Promise<AgencyView> {
    this.policy.assertCanViewAgency(principal, agencyId);

    return toAgencyView(await this.load(agencyId));
  }

  /** The agency, or 404. Never called with an empty id. */
  async load(agencyId: string, manager = this.manager): Promise<AgencyEntity> {
    if (!agencyId) throw agencyNotFound();
    const agency = await manager.findOneBy(AgencyEntity, { id: agencyId });
    if (!agency) throw agencyNotFound();

    return agency;
  }

  private async assertNameFree(name: string): Promise<void> {
    const taken = await this.manager
      .createQueryBuilder(AgencyEntity, 'a')
      .where('lower(a.name) = lower(:name)', { name })
      .getExists();
    if (taken) throw new DomainError('conflict', 'agency.name_taken', 'an agency has that name');
  }
}

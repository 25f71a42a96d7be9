import type { AgencyView, UserView } from '@tocsin/contracts';
import type { AgencyEntity, UserEntity } from './entities';

export function toAgencyView(agency: AgencyEntity): AgencyView {
  return { id: agency.id, name: agency.name, createdAt: agency.createdAt.toISOString() };
}

export function toUserView(user: UserEntity, hasPassword: boolean): UserView {
  return {
    id: user.id,
    agencyId: user.agencyId,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    isOperator: user.isOperator,
    disabled: user.disabledAt !== null,
    mustChangePassword: user.mustChangePassword,
    hasPassword,
    createdAt: user.createdAt.toISOString(),
  };
}

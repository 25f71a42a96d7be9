import { CreateAuditLog1764780000000 } from './1764780000000-CreateAuditLog';

export const auditMigrations = [CreateAuditLog1764780000000];

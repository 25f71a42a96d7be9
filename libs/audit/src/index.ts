export * from './audit-chain';
export * from './audit-event.entity';
export { auditEventHash, GENESIS_HASH } from './audit-hash';
export * from './audit.module';
export * from './audit.service';
export * from './canonical-json';
export * from './migrations';

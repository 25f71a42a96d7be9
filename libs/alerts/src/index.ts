export * from './alert-events';
export * from './alert-commands.service';
export * from './alert-queries.service';
export * from './alert-record';
export * from './alerts.module';
export * from './alerts.repository';
export * from './migrations';
export * from './recipients.repository';
export { resolveTargets, type TargetQuery, type TargetRow } from './targeting';

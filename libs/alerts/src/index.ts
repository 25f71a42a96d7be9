export * from './alert-events';
export * from './alert-commands.service';
export * from './alert-queries.service';
export * from './alert-record';
export * from './alerts.module';
export * from './alerts.repository';
export * from './migrations';
export * from './recipients.repository';
export * from './alert-event-recorder';
export {
  CapImportService,
  capRefusal,
  type CapImportOutcome,
  type CapImportResult,
} from './cap/cap-import.service';
export { CapExportService } from './cap/cap-export.service';
export { CAP_IMPORT_ROUTE, CAP_CONTENT_TYPE } from './cap/cap.controller';
export { resolveTargets, type TargetQuery, type TargetRow } from './targeting';

export * from './migrations';
export * from './outbox-entry.entity';
export * from './outbox.module';
export * from './outbox.service';

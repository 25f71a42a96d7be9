export * from './database-endpoint';
export * from './database-errors';
export * from './database.module';
export * from './data-source-options';
export * from './embedded-postgres';
export * from './migrations';
export * from './prepared-query';

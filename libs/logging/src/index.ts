export * from './root-logger';
export * from './nest-logger';

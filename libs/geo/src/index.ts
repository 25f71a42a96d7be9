export * from './antimeridian';
export * from './area';
export * from './bbox';
export * from './circle';
export * from './geometry-validation';
export * from './limits';
export * from './geo.module';
export * from './geometry-checker';

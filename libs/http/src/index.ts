export * from './all-exceptions.filter';
export * from './body-parsing';
export * from './configure-http';
export * from './error-body';
export * from './strict-validation.pipe';
export * from './public.decorator';
export * from './principal';
export * from './optional-not-null';
export { isStorableText, MAX_JSON_DEPTH } from './json-body-rules';

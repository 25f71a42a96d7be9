/**
 * Types shared by the server and the PWA: HTTP payloads and the map from socket event
 * name to payload, and the enumerations both validate against.
 */
export * from './alerts';
export * from './errors';
export * from './socket-events';
export * from './received-alerts';
export * from './identity';
export * from './messaging';
export * from './livehelp';

/**
 * Types shared by the server and the PWA: HTTP payloads and the map from socket event
 * name to payload. Types only; nothing here runs.
 */
export * from './errors';
export * from './identity';

export * from './connection-hooks';
export * from './realtime.gateway';
export * from './realtime.module';
export * from './realtime.service';
export * from './socket-ack';
export * from './socket-principal';

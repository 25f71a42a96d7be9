import { DynamicModule, Global, Module, type ModuleMetadata, type Type } from '@nestjs/common';
import { ConnectionHooks } from './connection-hooks';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeService } from './realtime.service';
import { SocketAckInterceptor } from './socket-ack';
import { SOCKET_AUTHENTICATOR, type SocketAuthenticator } from './socket-principal';

export interface RealtimeModuleOptions {
  /** Modules that provide the authenticator. */
  imports?: ModuleMetadata['imports'];
  /** The class that verifies access tokens (provided by the identity library). */
  authenticator: Type<SocketAuthenticator>;
}

@Global()
@Module({})
export class RealtimeModule {
  static forRoot(options: RealtimeModuleOptions): DynamicModule {
    return {
      module: RealtimeModule,
      imports: options.imports ?? [],
      providers: [
        { provide: SOCKET_AUTHENTICATOR, useExisting: options.authenticator },
        ConnectionHooks,
        RealtimeGateway,
        RealtimeService,
        SocketAckInterceptor,
      ],
      exports: [RealtimeService, ConnectionHooks, SocketAckInterceptor],
    };
  }
}

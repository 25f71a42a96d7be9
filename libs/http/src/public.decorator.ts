import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'tocsin:isPublic';

/**
 * Marks a route that anyone may call without a token (health, login, the public feed).
 * Every other route is authenticated by the global guard; there is no third kind.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

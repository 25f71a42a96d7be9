import { CreateIdentity1764780100000 } from './1764780100000-CreateIdentity';

export const identityMigrations = [CreateIdentity1764780100000];

import { CreateOutbox1764780050000 } from './1764780050000-CreateOutbox';

export const outboxMigrations = [CreateOutbox1764780050000];

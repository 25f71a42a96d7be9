import { CreateOutbox1764780000000 } from './1764780000000-CreateOutbox';

export const outboxMigrations = [CreateOutbox1764780000000];

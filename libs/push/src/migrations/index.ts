import { CreatePush1764900000000 } from './1764900000000-CreatePush';

export const pushMigrations = [CreatePush1764900000000];

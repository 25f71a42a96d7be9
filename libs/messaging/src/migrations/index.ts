import { CreateMessaging1765100000000 } from './1765100000000-CreateMessaging';

export const messagingMigrations = [CreateMessaging1765100000000];

import { CreateMessaging1765100000000 } from './1765100000000-CreateMessaging';
import { AllowOutsideSenders1765200000000 } from './1765200000000-AllowOutsideSenders';

export const messagingMigrations = [CreateMessaging1765100000000, AllowOutsideSenders1765200000000];

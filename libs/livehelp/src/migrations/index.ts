import { CreateLiveHelp1765200100000 } from './1765200100000-CreateLiveHelp';

export const livehelpMigrations = [CreateLiveHelp1765200100000];

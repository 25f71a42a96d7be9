import { CreateGroups1764780200000 } from './1764780200000-CreateGroups';

export const groupsMigrations = [CreateGroups1764780200000];

import { CreateAlerts1764780300000 } from './1764780300000-CreateAlerts';

export const alertsMigrations = [CreateAlerts1764780300000];

import { EnablePostgis1764770000000 } from './1764770000000-EnablePostgis';

export const databaseMigrations = [EnablePostgis1764770000000];

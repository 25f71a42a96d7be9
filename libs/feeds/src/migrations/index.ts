import { CreateFeedSources1764780500000 } from './1764780500000-CreateFeedSources';

export const feedsMigrations = [CreateFeedSources1764780500000];

export * from './feed-source';
export * from './feed-url-policy';
export * from './feed-links';
export * from './feed-fetcher';
export * from './feeds.module';
export * from './feed-sources.service';
export * from './migrations';

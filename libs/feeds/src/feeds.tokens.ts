/** Injection token of the FeedUrlPolicy built from FEED_ALLOWED_HOSTS. */
export const FEED_URL_POLICY = Symbol('FEED_URL_POLICY');

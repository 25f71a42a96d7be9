/** A random id for things the client creates (queued responses, chat messages). */
export function newClientId(): string {
  return crypto.randomUUID();
}

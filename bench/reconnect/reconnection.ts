/**
 * The PWA's reconnection settings (apps/web/src/realtime/socket.ts, `RECONNECTION`), copied
 * because the bench does not compile the web app: keep both in step. Jittered exponential
 * backoff: the first retry 0.5–1.5 s after the cut, then doubling, at most 5 s (±50%).
 */
export const RECONNECTION = {
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  randomizationFactor: 0.5,
};

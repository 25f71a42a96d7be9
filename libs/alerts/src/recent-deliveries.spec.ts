import { afterEach, describe, expect, it, vi } from 'vitest';
import { RecentDeliveries } from './recent-deliveries';

const ALERT = 'alert-1';

describe('RecentDeliveries', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('knows a socket got an event live when the fan-out came after it joined', () => {
    const recent = new RecentDeliveries();
    const before = {};
    const after = {};
    recent.opened(before);
    recent.fannedOut(ALERT, 1, [['u1', 'u2'], ['u3']]);
    recent.opened(after);

    expect(recent.gotLive(before, 'u3', ALERT, 1)).toBe(true);
    expect(recent.gotLive(after, 'u3', ALERT, 1)).toBe(false);
    expect(recent.gotLive(before, 'u4', ALERT, 1)).toBe(false);
    expect(recent.gotLive(before, 'u1', ALERT, 2)).toBe(false);
    expect(recent.gotLive({}, 'u1', ALERT, 1)).toBe(false);
  });

  it('hands the fan-out the sockets the catch-up already sent the event to', () => {
    const recent = new RecentDeliveries();
    recent.caughtUp('socket-a', ALERT, 1);
    recent.caughtUp('socket-b', ALERT, 1);
    recent.caughtUp('socket-c', ALERT, 2);

    expect(recent.fannedOut(ALERT, 1, [['u1']])).toEqual(['socket-a', 'socket-b']);
    expect(recent.fannedOut('alert-2', 1, [['u1']])).toEqual([]);
  });

  it('forgets what is older than half a minute', () => {
    vi.useFakeTimers();
    const recent = new RecentDeliveries();
    const socket = {};
    recent.opened(socket);
    recent.caughtUp('socket-a', ALERT, 1);
    recent.fannedOut(ALERT, 2, [['u1']]);
    vi.advanceTimersByTime(31_000);
    recent.caughtUp('socket-b', 'alert-2', 1);
    recent.fannedOut('alert-2', 2, [['u1']]);

    expect(recent.fannedOut(ALERT, 1, [['u1']])).toEqual([]);
    expect(recent.gotLive(socket, 'u1', ALERT, 2)).toBe(false);
  });
});

/** How long a delivery is remembered: far longer than from a commit to its fan-out. */
const REMEMBER_MS = 30_000;

/** One live fan-out of an event on this process: its place in order and its users. */
interface FanOut {
  order: number;
  groups: string[][];
  /** Built on the first lookup only: the hot path keeps the arrays it already has. */
  users?: Set<string>;
}

/** Entries of one event, with the time of the latest, so that old ones can be dropped. */
interface Remembered<T> {
  at: number;
  items: T;
}

/**
 * Which alert events this process sent in the last seconds, live and by catch-up, so that a
 * socket that connects while an event goes out gets it once. The catch-up reads what is
 * pending while the fan-out runs; the socket is in its user's room by then, so without this
 * both paths send it: a fan-out after the socket joined means the catch-up must skip the event,
 * and a catch-up that sent it first means the fan-out must leave that socket out.
 */
export class RecentDeliveries {
  /** Fan-outs are numbered: a socket remembers the number at which it joined its rooms. */
  private order = 0;
  private readonly fanOuts = new Map<string, Remembered<FanOut[]>>();
  private readonly catchUps = new Map<string, Remembered<Set<string>>>();
  private readonly joinedAt = new WeakMap<object, number>();

  /** The socket is in its user's room from now on: every later fan-out reaches it. */
  opened(socket: object): void {
    this.joinedAt.set(socket, this.order);
  }

  /**
   * Records a live fan-out of an event to these users' rooms and returns the ids of the
   * sockets the catch-up already sent it to, which the fan-out must leave out.
   */
  fannedOut(alertId: string, seq: number, groups: string[][]): string[] {
    const key = eventKey(alertId, seq);
    this.order += 1;
    remember(
      this.fanOuts,
      key,
      () => [],
      (items) => items.push({ order: this.order, groups }),
    );

    return [...(this.catchUps.get(key)?.items ?? [])];
  }

  /** Whether a fan-out since the socket joined its rooms sent it this event. */
  gotLive(socket: object, userId: string, alertId: string, seq: number): boolean {
    const joined = this.joinedAt.get(socket);
    const fanOuts = this.fanOuts.get(eventKey(alertId, seq))?.items;
    if (joined === undefined || !fanOuts) return false;

    return fanOuts.some((fanOut) => fanOut.order > joined && usersOf(fanOut).has(userId));
  }

  /** The catch-up sent this event to this socket. */
  caughtUp(socketId: string, alertId: string, seq: number): void {
    const key = eventKey(alertId, seq);
    remember(
      this.catchUps,
      key,
      () => new Set(),
      (items) => items.add(socketId),
    );
  }
}

const eventKey = (alertId: string, seq: number) => `${alertId}:${seq}`;

function usersOf(fanOut: FanOut): Set<string> {
  fanOut.users ??= new Set(fanOut.groups.flat());

  return fanOut.users;
}

/**
 * Adds to an event's entry and drops entries not touched for {@link REMEMBER_MS}. A Map keeps
 * insertion order, and a touched entry moves to the end, so the old ones are at the front.
 */
function remember<T>(
  map: Map<string, Remembered<T>>,
  key: string,
  create: () => T,
  add: (items: T) => void,
): void {
  const now = Date.now();
  const entry = map.get(key) ?? { at: now, items: create() };
  map.delete(key);
  entry.at = now;
  add(entry.items);
  map.set(key, entry);
  for (const [oldKey, old] of map) {
    if (now - old.at < REMEMBER_MS) break;
    map.delete(oldKey);
  }
}

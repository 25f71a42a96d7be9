import { Injectable, Logger } from '@nestjs/common';
import { OutboxService, type OutboxEntry } from '@tocsin/outbox';

/** Dispatches running at once; more sends wait and go together in the next one. */
const MAX_IN_FLIGHT = 4;

/**
 * Hands the outbox rows of sent messages to the outbox in groups. The send wrote its rows
 * already leased to this process, so a dispatch needs no claim (rows written by the
 * transactional path, unleased, are claimed in one statement for the group), and the outbox
 * marks the delivered rows sent together, one statement per few milliseconds. When
 * nothing is running a row is dispatched at the next turn of the event loop, so a quiet
 * conversation waits for nothing.
 */
@Injectable()
export class DispatchBatcher {
  private readonly logger = new Logger(DispatchBatcher.name);
  private queued: OutboxEntry[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly outbox: OutboxService) {}

  add(entry: OutboxEntry): void {
    this.queued.push(entry);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || this.queued.length === 0) return;
    this.scheduled = true;
    // The sends committed in the same turn of the event loop go together.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const batch = this.queued;
    this.queued = [];
    if (batch.length === 0) return;

    this.inFlight += 1;
    void this.outbox
      .dispatchOwned(batch)
      .catch((error: unknown) =>
        // The rows stay pending; the outbox's sweep delivers them.
        this.logger.error({ err: error, count: batch.length }, 'message dispatch failed'),
      )
      .finally(() => {
        this.inFlight -= 1;
        this.schedule();
      });
  }
}

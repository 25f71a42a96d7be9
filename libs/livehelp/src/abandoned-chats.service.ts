import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import { JOB_QUEUE, type JobQueue } from '@tocsin/jobs';
import { DataSource } from 'typeorm';
import { ChatNotifier } from './chat-notifier';

const ABANDONED_JOB = 'livehelp.abandoned';
const INTERVAL_MS = 5 * 60_000;

/**
 * Closes chats whose visitor left: the widget renews its token while the page is open, so a
 * token that expired means nobody is there. Each closing is audited, and the queue and the
 * holder are told. Runs every five minutes through the job queue; `runOnce` is the job.
 */
@Injectable()
export class AbandonedChatsService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(AbandonedChatsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly audit: AuditService,
    private readonly notifier: ChatNotifier,
  ) {}

  onModuleInit(): void {
    this.queue.process(ABANDONED_JOB, async () => {
      try {
        const closed = await this.runOnce();
        if (closed > 0) this.logger.log({ closed }, 'abandoned Live Help chats closed');
      } finally {
        await this.scheduleNext();
      }
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduleNext();
  }

  async runOnce(): Promise<number> {
    const closed = await this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `UPDATE livehelp_visitors SET status = 'closed', closed_at = now()
          WHERE status <> 'closed' AND token_expires_at <= now()
          RETURNING id, agency_id, conversation_id, representative_id`,
      )) as unknown[];
      const list = (Array.isArray(rows[0]) ? rows[0] : rows) as {
        id: string;
        agency_id: string;
        conversation_id: string;
        representative_id: string | null;
      }[];
      for (const row of list) {
        await this.audit.record(manager, {
          agencyId: row.agency_id,
          actorId: null,
          action: 'livehelp.closed',
          targetType: 'conversation',
          targetId: row.conversation_id,
          data: { visitorId: row.id, by: 'expiry' },
        });
      }

      return list;
    });

    for (const row of closed) {
      await this.notifier.chat(row.id, row.representative_id ? [row.representative_id] : []);
    }
    for (const agencyId of new Set(closed.map((row) => row.agency_id))) {
      await this.notifier.queue(agencyId);
    }

    return closed.length;
  }

  /** One job per slot: every process asks, the job id lets only one through. */
  private async scheduleNext(): Promise<void> {
    const slot = Math.floor(Date.now() / INTERVAL_MS) + 1;
    await this.queue.add(
      ABANDONED_JOB,
      {},
      {
        delayMs: slot * INTERVAL_MS - Date.now(),
        jobId: `livehelp-abandoned-${slot}`,
        attempts: 3,
      },
    );
  }
}

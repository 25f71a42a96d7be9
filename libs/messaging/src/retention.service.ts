import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AuditService } from '@tocsin/audit';
import { APP_CONFIG, type AppConfig } from '@tocsin/config';
import { JOB_QUEUE, type JobQueue } from '@tocsin/jobs';
import { DataSource } from 'typeorm';

const RETENTION_JOB = 'messaging.retention';

export interface RetentionResult {
  deleted: number;
  byConversation: { agencyId: string; conversationId: string; count: number }[];
}

/**
 * Deletes messages older than their sending agency's retention period, except in
 * conversations under any legal hold, and records in that agency's audit log how many
 * messages of which conversation went (never their text). Runs periodically through the
 * job queue; `runOnce` is the whole job, for tests and operators.
 */
@Injectable()
export class RetentionService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.queue.process(RETENTION_JOB, async () => {
      try {
        const result = await this.runOnce();
        if (result.deleted > 0) this.logger.log({ deleted: result.deleted }, 'retention applied');
      } finally {
        await this.scheduleNext();
      }
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduleNext();
  }

  async runOnce(now = new Date()): Promise<RetentionResult> {
    const policies = (await this.dataSource.query(
      'SELECT agency_id, retention_days FROM messaging_policies WHERE retention_days IS NOT NULL',
    )) as { agency_id: string; retention_days: number }[];
    const result: RetentionResult = { deleted: 0, byConversation: [] };

    for (const policy of policies) {
      const before = new Date(now.getTime() - policy.retention_days * 86_400_000);
      await this.dataSource.transaction(async (manager) => {
        // The hold check and the delete are one statement: a hold committed before it counts.
        const rows = (await manager.query(
          `WITH doomed AS (
             DELETE FROM messages m
              WHERE m.sender_agency_id = $1 AND m.created_at < $2
                AND NOT EXISTS (SELECT 1 FROM conversation_holds h
                                 WHERE h.conversation_id = m.conversation_id)
             RETURNING m.conversation_id, m.seq)
           SELECT conversation_id, count(*)::int AS count, min(seq) AS from_seq,
                  max(seq) AS to_seq
             FROM doomed GROUP BY conversation_id ORDER BY conversation_id`,
          [policy.agency_id, before],
        )) as { conversation_id: string; count: number; from_seq: string; to_seq: string }[];
        for (const row of rows) {
          await this.audit.record(manager, {
            agencyId: policy.agency_id,
            actorId: null,
            action: 'messaging.retention_deleted',
            targetType: 'conversation',
            targetId: row.conversation_id,
            data: {
              count: row.count,
              fromSeq: Number(row.from_seq),
              toSeq: Number(row.to_seq),
              sentBefore: before.toISOString(),
              retentionDays: policy.retention_days,
            },
          });
          result.deleted += row.count;
          result.byConversation.push({
            agencyId: policy.agency_id,
            conversationId: row.conversation_id,
            count: row.count,
          });
        }
      });
    }

    return result;
  }

  /** One job per interval slot: every process asks, the job id lets only one through. */
  private async scheduleNext(): Promise<void> {
    const interval = this.config.messaging.retentionIntervalMinutes * 60_000;
    const slot = Math.floor(Date.now() / interval) + 1;
    await this.queue.add(
      RETENTION_JOB,
      {},
      { delayMs: slot * interval - Date.now(), jobId: `retention-${slot}`, attempts: 3 },
    );
  }
}

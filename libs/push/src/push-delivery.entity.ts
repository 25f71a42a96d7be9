import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PushSubjectKind } from './push-payload';

export type PushUrgency = 'very-low' | 'low' | 'normal' | 'high';
export type DeliveryStatus = 'pending' | 'retrying' | 'sent' | 'failed' | 'removed';

/** One push as sent to every device concerned: the payload is stored once, here. */
@Entity('push_notifications')
export class PushNotificationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'subject_kind', type: 'text' }) subjectKind!: PushSubjectKind;
  @Column({ name: 'subject_id', type: 'uuid' }) subjectId!: string;
  /** The caller's event id (an outbox row): the same event never pushes twice. */
  @Column({ name: 'event_id', type: 'text', nullable: true }) eventId!: string | null;
  @Column({ type: 'text' }) payload!: string;
  @Column({ name: 'ttl_seconds', type: 'integer' }) ttlSeconds!: number;
  @Column({ type: 'text' }) urgency!: PushUrgency;
  @Column({ type: 'text', nullable: true }) topic!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

/** What happened to one notification on one device. */
@Entity('push_deliveries')
export class PushDeliveryEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'notification_id', type: 'uuid' }) notificationId!: string;
  @Column({ name: 'subject_kind', type: 'text' }) subjectKind!: PushSubjectKind;
  @Column({ name: 'subject_id', type: 'uuid' }) subjectId!: string;
  @Column({ name: 'subscription_id', type: 'uuid', nullable: true }) subscriptionId!: string | null;
  @Column({ name: 'user_id', type: 'uuid' }) userId!: string;
  @Column({ type: 'text' }) status!: DeliveryStatus;
  @Column({ name: 'status_code', type: 'integer', nullable: true }) statusCode!: number | null;
  @Column({ type: 'integer' }) attempts!: number;
  @CreateDateColumn({ name: 'enqueued_at', type: 'timestamptz' }) enqueuedAt!: Date;
  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true }) acceptedAt!: Date | null;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

/**
 * Acknowledgements waiting to be written, as three parallel columns: a fan-out to N sockets
 * brings N acknowledgements within milliseconds, and columns cost no object per answer and
 * go to PostgreSQL as three arrays (see RecipientsRepository.markDelivered).
 */
export class AckBatch {
  readonly alertIds: string[] = [];
  readonly userIds: string[] = [];
  readonly seqs: number[] = [];

  get size(): number {
    return this.userIds.length;
  }

  add(alertId: string, userId: string, seq: number): void {
    this.alertIds.push(alertId);
    this.userIds.push(userId);
    this.seqs.push(seq);
  }
}

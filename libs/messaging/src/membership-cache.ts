import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { ConversationKind } from '@tocsin/contracts';
import { RealtimeService } from '@tocsin/realtime';
import type { EntityManager } from 'typeorm';
import { ConversationStore } from './conversation-store';
import type { MemberRecord } from './records';

/** What delivering a message needs of its conversation (kind and title never change). */
export interface ConversationAudience {
  kind: ConversationKind;
  title: string | null;
  members: MemberRecord[];
}

/** How another API process is told that a conversation's members changed. */
const CHANGED_EVENT = 'messaging.members_changed';
/**
 * Safety net for an invalidation that never arrived from another process (the server-side
 * emit is fire-and-forget), and for a change that rolled back before it was announced.
 */
const TTL_MS = 30_000;
const CHANGE_HOLD_MS = 10_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  audience: ConversationAudience;
  expiresAt: number;
}

/**
 * Each conversation's current members, per process, for the delivery of every message: a
 * room of 500 would otherwise read 500 member rows per message. Membership changes invalidate
 * it: `changing` inside the changing transaction (until it is announced, reads go to the
 * database, so a message committed after a removal never reaches the removed member from a
 * stale entry), `changed` after the commit, here and, through the realtime server-side emit,
 * on the other API processes. Who may send is decided in SQL, never here.
 */
@Injectable()
export class MembershipCache implements OnModuleInit {
  private readonly entries = new Map<string, Entry>();
  /** Conversations with a membership change in flight, until when (a rollback is never told). */
  private readonly held = new Map<string, number>();
  /** Bumped on every invalidation, so a load that raced any change does not store old rows. */
  private generation = 0;

  constructor(
    private readonly store: ConversationStore,
    private readonly realtime: RealtimeService,
  ) {}

  onModuleInit(): void {
    this.realtime.onNodeEvent(CHANGED_EVENT, (payload) => {
      const conversationId = (payload as { conversationId?: unknown })?.conversationId;
      if (typeof conversationId === 'string') this.invalidate(conversationId);
    });
  }

  /** The conversation's kind, title and current members; undefined if it is gone. */
  async audience(
    manager: EntityManager,
    conversationId: string,
  ): Promise<ConversationAudience | undefined> {
    const now = Date.now();
    const cached = this.entries.get(conversationId);
    if (cached && cached.expiresAt > now && !this.isHeld(conversationId, now)) {
      return cached.audience;
    }

    const generation = this.generation;
    const audience = await this.load(manager, conversationId);
    if (audience && generation === this.generation && !this.isHeld(conversationId, Date.now())) {
      this.remember(conversationId, audience);
    }

    return audience;
  }

  /** Inside a membership-changing transaction: stop serving the conversation from memory. */
  changing(conversationId: string): void {
    this.held.set(conversationId, Date.now() + CHANGE_HOLD_MS);
    this.invalidate(conversationId);
  }

  /** After the change committed: here and on every other API process. */
  changed(conversationId: string): void {
    this.held.delete(conversationId);
    this.invalidate(conversationId);
    this.realtime.toOtherNodes(CHANGED_EVENT, { conversationId });
  }

  private invalidate(conversationId: string): void {
    this.entries.delete(conversationId);
    this.generation += 1;
  }

  private isHeld(conversationId: string, now: number): boolean {
    const until = this.held.get(conversationId);
    if (until === undefined) return false;
    if (until > now) return true;
    this.held.delete(conversationId);

    return false;
  }

  private async load(manager: EntityManager, conversationId: string) {
    const conversation = await this.store.find(manager, conversationId);
    if (!conversation) return undefined;
    const members = await this.store.currentMembers(manager, conversationId);

    return { kind: conversation.kind, title: conversation.title, members };
  }

  private remember(conversationId: string, audience: ConversationAudience): void {
    // Bounded: the oldest entry goes first (a Map iterates in insertion order).
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(conversationId, { audience, expiresAt: Date.now() + TTL_MS });
  }
}

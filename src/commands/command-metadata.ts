import type { Actor } from '../store/envelope.ts';

/**
 * Everything about a command that is not the command itself: whose tenant, who asked, why, and when. The
 * shell turns it into the envelope of every event the command causes (seed §13 "who triggered what").
 */
export interface CommandMetadata {
  readonly tenantId: string;
  readonly actor: Actor;
  /** The request or business flow the command belongs to; every resulting event carries it. */
  readonly correlationId: string;
  /** What caused the command: a request id, or the event a process manager reacted to. */
  readonly causationId: string;
  /** Business time of the command; the domain receives it inside the command. */
  readonly now: Date;
  /**
   * Event ids for the resulting events, by index. Process managers derive them from the causing event so a
   * re-fired reaction is an idempotent retry in the store; everyone else gets fresh UUIDv7s.
   */
  readonly eventIdFor?: (index: number) => string;
}

import type { ActorKind } from '../domain/lifecycle';
import type { Channel } from '../domain/schemas';

/** Who does something, and through which channel — recorded on every timeline event. */
export interface Actor {
  kind: ActorKind;
  /** Staff user id, customer id, or null for the system. */
  id: string | null;
  channel: Channel | 'console' | 'portal' | 'system' | 'cli';
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null, channel: 'system' };

import type { Deps } from '../domain/deps';
import type { Queues } from '../runtime/queues';
import type { Announce } from './announce';

/** What a use case that tells rooms about its outcome needs: the domain deps and a way to reach the rooms. */
export interface AnnouncingDeps extends Deps {
  announce: Announce;
}

/** What a use case that hands work to the workers needs: the domain deps and the process's queues. */
export interface QueueingDeps extends Deps {
  queues: Queues;
}

/** Both: a transition that is announced and has a timer (battles). */
export type UseCaseDeps = AnnouncingDeps & QueueingDeps;

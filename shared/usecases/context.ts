import type { Deps } from '../domain/deps';
import type { Queues } from '../domain/queues';
import type { Announce } from './announce';

/** What a use case that tells rooms about its outcome needs: the domain deps and a way to reach the rooms. */
export interface AnnouncingDeps extends Deps {
  announce: Announce;
}

/** A use case that also schedules jobs (battle timers) needs the process's queues. */
export interface UseCaseDeps extends AnnouncingDeps {
  queues: Queues;
}

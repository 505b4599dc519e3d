import type { Socket } from 'socket.io';
import { GiftwireError } from '../../shared/contracts/errors';
import type { Config } from '../../shared/config';

/**
 * Every socket's budget of the events that cost Redis work (gift:send, stream:join, stream:leave), anonymous sockets
 * included: a token bucket of SOCKET_EVENT_BURST refilled at SOCKET_EVENTS_PER_SEC, kept in this process's memory.
 * A flood past it is refused before any Redis command; the budget sits above the per-user gift rate (20/s, bursts
 * of 100), so a sender within their gift rate never meets it.
 */
export class EventBudget {
  private level: number;
  private at: number;

  constructor(
    private readonly perSec: number,
    private readonly burst: number,
    now = performance.now(),
  ) {
    this.level = burst;
    this.at = now;
  }

  /** Takes one event's worth, or throws RATE_LIMITED having taken nothing. */
  spend(now = performance.now()): void {
    this.level = Math.min(this.burst, this.level + ((now - this.at) * this.perSec) / 1000);
    this.at = now;
    if (this.level < 1) throw new GiftwireError('RATE_LIMITED', 'Too many events on this connection; slow down.');
    this.level -= 1;
  }
}

const budgets = new WeakMap<Socket, EventBudget>();

/** The socket's budget, shared by every event handler of that socket. */
export function eventBudget(config: Pick<Config, 'socketEventsPerSec' | 'socketEventBurst'>, socket: Socket) {
  let b = budgets.get(socket);
  if (!b) {
    b = new EventBudget(config.socketEventsPerSec, config.socketEventBurst);
    budgets.set(socket, b);
  }
  return b;
}

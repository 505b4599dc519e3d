import type { Battle } from '../contracts/models';
import { creatorRoom, streamRoom } from '../contracts/rooms';

/**
 * Who hears what about a battle. Viewers see a battle from its start: battle:started, battle:update and
 * battle:ended go to both streams' rooms. An invitation and its closing without a start (declined, cancelled,
 * expired) concern the two creators only: battle:invited and battle:ended go to both creator rooms
 * (their own sockets and overlays).
 */
export type BattleEventName = 'battle:invited' | 'battle:started' | 'battle:update' | 'battle:ended';

export function battleRooms(event: BattleEventName, battle: Battle): string[] {
  const wasStarted = battle.startedAt !== undefined;
  const room = event === 'battle:invited' || (event === 'battle:ended' && !wasStarted) ? creatorRoom : streamRoom;
  return battle.sides.map((s) => room(s.streamId));
}

import { z } from 'zod';
import { giftSendFields, streamRoomPayload } from '../../../shared/contracts/gifts';
import { overlaySettings } from '../../../shared/contracts/overlay-settings';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/contracts/socket';
import { API_VERSION } from './document';
import { componentSchemas, jsonSchema, type JsonSchema } from './json-schema';
import { battle, errorBody, giftEvent, giftsFrame, goal, leaderboardItem, stream, streakEnded, wallet } from './models';

/**
 * One Socket.io event as the AsyncAPI document shows it. `ack` is what the acknowledgement callback receives on
 * success (`{ ok: true, ...ack }`); every acknowledged event may instead answer `{ ok: false, error }`.
 */
export interface EventDoc {
  name: string;
  summary: string;
  payload: z.ZodType;
  ack?: z.ZodObject;
}

const roomPayload = streamRoomPayload.out;
const leaderboardRows = z.object({ items: z.array(leaderboardItem) });
const battlePayload = z.object({ battle });

/** Client to server: every one takes an acknowledgement. Keyed by the contract's event map, so none is missed. */
export const CLIENT_EVENTS: Record<keyof ClientToServerEvents, EventDoc> = {
  'stream:join': {
    name: 'stream:join',
    summary: "Join a stream's room: receive its gifts, leaderboard, viewers and battle events.",
    payload: roomPayload,
    ack: z.object({
      stream,
      leaderboard: leaderboardRows,
      battle: battle.nullable(),
      viewers: z.number().int(),
      goal: goal.nullable().describe("the stream's unended goal, or null"),
    }),
  },
  'stream:leave': { name: 'stream:leave', summary: "Leave a stream's room.", payload: roomPayload, ack: z.object({}) },
  'gift:send': {
    name: 'gift:send',
    summary:
      'Send a gift. A repeat of the same idempotencyKey (per user) returns the same gift and moves nothing more. ' +
      'Needs a user token; anonymous watchers and overlays may not send.',
    payload: giftSendFields,
    ack: z.object({ gift: giftEvent, wallet: wallet.pick({ coins: true, heldCoins: true }) }),
  },
};

/** Server to client. */
export const SERVER_EVENTS: Record<keyof ServerToClientEvents, EventDoc> = {
  gifts: {
    name: 'gifts',
    summary:
      'The gifts accepted for a joined stream, in acceptance order: every tick, unfolded, for the creator and overlays; at most WATCHER_FRAMES_PER_SEC frames a second, folded, for watchers.',
    payload: giftsFrame,
  },
  leaderboard: {
    name: 'leaderboard',
    summary: 'The top of a joined stream changed.',
    payload: leaderboardRows.extend({ streamId: z.string() }),
  },
  viewers: {
    name: 'viewers',
    summary: "A joined stream's viewer count changed.",
    payload: z.object({ streamId: z.string(), count: z.number().int() }),
  },
  'battle:invited': {
    name: 'battle:invited',
    summary: "To both creators' own sockets and overlays: a challenge waits for the opponent's answer.",
    payload: battlePayload,
  },
  'battle:started': { name: 'battle:started', summary: 'A battle began (both streams).', payload: battlePayload },
  'battle:update': { name: 'battle:update', summary: 'Scores or MVPs changed (both streams).', payload: battlePayload },
  'battle:ended': { name: 'battle:ended', summary: 'A battle closed, with its winner.', payload: battlePayload },
  'stream:ended': {
    name: 'stream:ended',
    summary: 'The stream ended.',
    payload: z.object({ streamId: z.string() }),
  },
  'account:suspended': {
    name: 'account:suspended',
    summary: 'To every socket of the user: an operator suspended the account (watching still works).',
    payload: z.object({ reason: z.string() }),
  },
  'account:revoked': {
    name: 'account:revoked',
    summary: 'To every socket of the user: their tokens were revoked; the socket is disconnected right after.',
    payload: z.object({ revokedAt: z.number().int() }),
  },
  'overlay:settings': {
    name: 'overlay:settings',
    summary: "To the creator's overlays only: the creator saved new overlay settings (PUT /v1/overlay-settings).",
    payload: z.object({ settings: overlaySettings }),
  },
  'overlay:test': {
    name: 'overlay:test',
    summary:
      "To the creator's overlays only: a test alert (POST /v1/overlay/test-alert), one gift per tier asked; " +
      'nothing was recorded and no money moved.',
    payload: z.object({ test: z.literal(true), items: z.array(giftEvent) }),
  },
  // live experience (#17)
  'streak:ended': {
    name: 'streak:ended',
    summary:
      "Once per streak, to the stream's room: no earlier than lastAt + STREAK_GAP_MS and at most a second after, " +
      'whichever server process accepted its gifts.',
    payload: streakEnded,
  },
  'goal:update': {
    name: 'goal:update',
    summary: "The stream's goal changed (progress, reached, ended); at most 4 a second per goal.",
    payload: z.object({ goal }),
  },
  'goal:reached': {
    name: 'goal:reached',
    summary: 'Exactly once per goal: a gift first brought progressCoins to targetCoins.',
    payload: z.object({ goal }),
  },
};

const key = (event: string) => event.replace(/[:]/g, '_');
const ackFailure = z.object({ ok: z.literal(false), error: errorBody });

/** The AsyncAPI 3 document of the Socket.io events. */
export function asyncApiDocument(): JsonSchema {
  const messages: Record<string, JsonSchema> = {};
  const operations: Record<string, JsonSchema> = {};
  const channel = { $ref: '#/channels/socket' };
  const ref = (name: string) => ({ $ref: `#/channels/socket/messages/${name}` });
  for (const e of Object.values(CLIENT_EVENTS)) {
    messages[key(e.name)] = message(e.name, e.summary, jsonSchema(e.payload, 'input', 'draft-7'));
    const ackOk = (e.ack ?? z.object({})).extend({ ok: z.literal(true) });
    messages[`${key(e.name)}_ack`] = message(`${e.name} acknowledgement`, `The answer to ${e.name}.`, {
      oneOf: [jsonSchema(ackOk, 'output', 'draft-7'), jsonSchema(ackFailure, 'output', 'draft-7')],
    });
    operations[key(e.name)] = {
      action: 'receive',
      channel,
      summary: e.summary,
      messages: [ref(key(e.name))],
      reply: { channel, messages: [ref(`${key(e.name)}_ack`)] },
    };
  }
  for (const e of Object.values(SERVER_EVENTS)) {
    messages[key(e.name)] = message(e.name, e.summary, jsonSchema(e.payload, 'output', 'draft-7'));
    operations[key(e.name)] = { action: 'send', channel, summary: e.summary, messages: [ref(key(e.name))] };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Giftwire Socket.io events',
      version: API_VERSION,
      description:
        'Socket.io 4 on the HTTP port. Connect with `io(BASE, { auth: { token } })` (a user), ' +
        "`{ auth: { overlayKey } }` (a creator's overlay) or no auth (an anonymous watcher). A bad token fails " +
        "the connection with `connect_error` `UNAUTHORIZED`. Operations are described from the server's side: " +
        '`receive` is an event the app emits, `send` one it listens to.',
    },
    defaultContentType: 'application/json',
    servers: {
      giftwire: { host: 'localhost:3000', protocol: 'ws', pathname: '/socket.io/', description: 'Socket.io 4' },
    },
    channels: { socket: { address: '/socket.io/', title: 'The Socket.io connection', messages } },
    operations,
    components: { schemas: componentSchemas('draft-7') },
  };
}

function message(name: string, summary: string, payload: JsonSchema): JsonSchema {
  return { name, title: name, summary, contentType: 'application/json', payload };
}

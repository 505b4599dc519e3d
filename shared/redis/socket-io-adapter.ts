import { Server, type Server as IoServer } from 'socket.io';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Emitter } from '@socket.io/redis-emitter';
import { isCluster, quitWhenReady, type RedisConnection } from './client';

/**
 * How Socket.io rooms span processes through Redis. On one Redis: the classic Redis adapter (PUBLISH/SUBSCRIBE)
 * and @socket.io/redis-emitter. On a Redis Cluster: the sharded adapter (Redis 7 SPUBLISH/SSUBSCRIBE), whose room
 * channels are owned by one master each, so a room's traffic is not copied to every master as classic pub/sub is.
 */

/** Attaches the adapter to `io` on connections of its own; returns what closes them (after io.close()). */
export function attachRedisAdapter(io: IoServer, redis: RedisConnection, channel: string): () => Promise<void> {
  const pub = redis.duplicate();
  const sub = redis.duplicate();
  if (isCluster(redis)) {
    // 'dynamic': each room gets its own channel, so a server process hears only the rooms it has sockets in
    io.adapter(createShardedAdapter(pub, sub, { channelPrefix: channel, subscriptionMode: 'dynamic' }));
  } else {
    io.adapter(createAdapter(pub, sub, { key: channel }));
  }
  return async () => {
    // The classic adapter's close() unsubscribes without waiting: a PING answered means those replies are in.
    if (!isCluster(sub)) await sub.ping().catch(() => undefined);
    await Promise.all([quitWhenReady(pub), quitWhenReady(sub)]);
  };
}

/** Emits to rooms from a process that has no sockets (workers, tools): every server process's sockets hear it. */
export interface RoomEmitter {
  emit(rooms: string | string[], event: string, ...args: unknown[]): void;
}

const emitters = new WeakMap<RedisConnection, Map<string, RoomEmitter>>();

/**
 * The room emitter of `redis` for `channel`, made once and living as long as `redis` (it adds no connection to
 * close). @socket.io/redis-emitter has no sharded form (socket.io-redis-emitter issue #127), so on a cluster the
 * emitter is a Socket.io server that listens on nothing, with the sharded adapter: its io.to(room).emit() is
 * published to the room's channel as any server's would be. Its subscriptions (the adapter's own channels) go
 * through ioredis's sharded subscribers, which the cluster connection owns and closes with itself; it listens on
 * no port and runs no timer, so nothing else needs closing.
 */
export function roomEmitter(redis: RedisConnection, channel: string): RoomEmitter {
  let byChannel = emitters.get(redis);
  if (!byChannel) emitters.set(redis, (byChannel = new Map()));
  let emitter = byChannel.get(channel);
  if (!emitter) {
    emitter = isCluster(redis) ? headlessServerEmitter(redis, channel) : redisEmitter(redis, channel);
    byChannel.set(channel, emitter);
  }
  return emitter;
}

function redisEmitter(redis: RedisConnection, channel: string): RoomEmitter {
  const emitter = new Emitter(redis, { key: channel });
  return { emit: (rooms, event, ...args) => emitter.to(rooms).emit(event, ...args) };
}

function headlessServerEmitter(redis: RedisConnection, channel: string): RoomEmitter {
  const io = new Server();
  io.adapter(createShardedAdapter(redis, redis, { channelPrefix: channel, subscriptionMode: 'dynamic' }));
  return { emit: (rooms, event, ...args) => io.to(rooms).emit(event, ...args) };
}

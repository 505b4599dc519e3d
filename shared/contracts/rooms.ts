/**
 * Socket.io room names, shared by the server (which joins sockets) and by processes that reach rooms through
 * the Redis emitter (workers, battle timers).
 */

/** Every socket watching the stream: anonymous watchers, viewers, the creator's own sockets and overlays. */
export const streamRoom = (streamId: string) => `stream:${streamId}`;

/** Only the stream creator's own sockets and overlays: they receive every gift unfolded. */
export const creatorRoom = (streamId: string) => `stream:${streamId}:creator`;

/** Watchers that are not the creator: they receive the (possibly folded) frames. */
export const watcherRoom = (streamId: string) => `stream:${streamId}:watchers`;

/** Every overlay socket of a creator, whatever it watches: settings and test alerts reach them all. */
export const overlayRoom = (creatorId: string) => `overlays:${creatorId}`;

/** The overlay sockets opened with one key (named by its digest): a new key disconnects those of the old one. */
export const overlayKeyRoom = (keyDigest: string) => `overlay-key:${keyDigest}`;

/** Every socket signed in as a user, on any process: an operator's suspension or revocation reaches them all. */
export const userRoom = (userId: string) => `user:${userId}`;

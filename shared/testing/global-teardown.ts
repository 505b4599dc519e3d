import { testServers } from './global-setup';

/** Stops what the setups started (one file for every project: jest runs it once, after the last test). */
export default async function globalTeardown(): Promise<void> {
  const servers = testServers.__giftwireRedis;
  await Promise.all([servers?.one?.stop(), servers?.cluster?.stop()]);
}

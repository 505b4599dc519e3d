import type { LocalRedis } from '../redis/local-server';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __giftwireRedis?: LocalRedis }).__giftwireRedis?.stop();
}

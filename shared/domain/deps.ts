import type { Config } from '../config';
import type { Logger } from '../logger';
import type { GiftwireRedis } from '../redis/client';
import type { Keys } from '../redis/keys';

/** What every domain function needs; built once per process (or per test) and passed down. */
export interface Deps {
  config: Config;
  redis: GiftwireRedis;
  keys: Keys;
  log: Logger;
}

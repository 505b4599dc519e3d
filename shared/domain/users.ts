import { v4 as uuidv4 } from 'uuid';
import { GiftwireError } from '../contracts/errors';
import type { User } from '../contracts/users';
import type { Deps } from './deps';

export interface NewUser {
  displayName: string;
  birthDate: string;
  verified?: boolean;
  followers?: number;
}

export function userFromHash(h: Record<string, string>): User | null {
  if (!h.id) return null;
  return {
    id: h.id,
    displayName: h.displayName ?? '',
    birthDate: h.birthDate ?? '',
    verified: h.verified === '1',
    followers: Number(h.followers ?? 0),
    suspended: h.suspended === '1',
  };
}

export async function createUser(deps: Deps, input: NewUser): Promise<User> {
  const user: User = {
    id: uuidv4(),
    displayName: input.displayName,
    birthDate: input.birthDate,
    verified: input.verified ?? false,
    followers: input.followers ?? 0,
    suspended: false,
  };
  // the user (their shard) and the index of users (its own slot) are two owners: the record first, so the index
  // never names a user that does not exist
  await deps.redis.hset(deps.keys.user(user.id), {
    id: user.id,
    displayName: user.displayName,
    birthDate: user.birthDate,
    verified: user.verified ? '1' : '0',
    followers: String(user.followers),
    createdAt: String(Date.now()),
  });
  await deps.redis.sadd(deps.keys.users, user.id);
  return user;
}

export async function findUser(deps: Deps, id: string): Promise<User | null> {
  return userFromHash(await deps.redis.hgetall(deps.keys.user(id)));
}

export async function getUser(deps: Deps, id: string): Promise<User> {
  const user = await findUser(deps, id);
  if (!user) throw new GiftwireError('NOT_FOUND', 'No such user.');
  return user;
}

export async function getUsers(deps: Deps, ids: string[]): Promise<Map<string, User>> {
  const out = new Map<string, User>();
  if (ids.length === 0) return out;
  // users live in many shards: one command each (auto-pipelined, per master on a cluster), not one pipeline
  const results = await Promise.all(ids.map((id) => deps.redis.hgetall(deps.keys.user(id))));
  for (const h of results) {
    const u = userFromHash(h);
    if (u) out.set(u.id, u);
  }
  return out;
}

export interface UserPatch {
  verified?: boolean;
  followers?: number;
  dailySpendLimitCoins?: number | null;
}

/** Operator patch. The daily limit lives in the wallet hash, beside the counters the gift script checks it against. */
export async function patchUser(deps: Deps, id: string, patch: UserPatch): Promise<User> {
  await getUser(deps, id);
  const m = deps.redis.multi();
  if (patch.verified !== undefined) m.hset(deps.keys.user(id), 'verified', patch.verified ? '1' : '0');
  if (patch.followers !== undefined) m.hset(deps.keys.user(id), 'followers', String(patch.followers));
  if (patch.dailySpendLimitCoins === null) m.hdel(deps.keys.wallet(id), 'limit');
  else if (patch.dailySpendLimitCoins !== undefined)
    m.hset(deps.keys.wallet(id), 'limit', String(patch.dailySpendLimitCoins));
  await m.exec();
  return getUser(deps, id);
}

/** Whole years between a YYYY-MM-DD birth date and `now`, in UTC. */
export function ageOn(birthDate: string, now: number): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const today = new Date(now);
  let age = today.getUTCFullYear() - y;
  const beforeBirthday = today.getUTCMonth() + 1 < m || (today.getUTCMonth() + 1 === m && today.getUTCDate() < d);
  if (beforeBirthday) age -= 1;
  return age;
}

export function isAdult(deps: Pick<Deps, 'config'>, user: User, now = Date.now()): boolean {
  return ageOn(user.birthDate, now) >= deps.config.adultAge;
}

/** Suspension ranks with permission and age in the contract's order of errors. */
export function assertNotSuspended(user: User): void {
  if (user.suspended) throw new GiftwireError('ACCOUNT_SUSPENDED');
}

export function assertAdult(deps: Pick<Deps, 'config'>, user: User): void {
  if (!isAdult(deps, user)) throw new GiftwireError('AGE_RESTRICTED');
}

/** A creator may go live or cash out when verified or followed by enough people. */
export function isEligibleCreator(deps: Pick<Deps, 'config'>, user: User): boolean {
  return user.verified || user.followers >= deps.config.creatorMinFollowers;
}

export function assertEligibleCreator(deps: Pick<Deps, 'config'>, user: User): void {
  assertAdult(deps, user);
  if (!isEligibleCreator(deps, user)) {
    throw new GiftwireError(
      'NOT_ELIGIBLE',
      `Creators must be verified or have at least ${deps.config.creatorMinFollowers} followers.`,
    );
  }
}

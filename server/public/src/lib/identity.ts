import type { User } from '../../../../shared/contracts/users';
import { ApiError } from '../../../../shared/contracts/api-error';
import { api } from './api';

/**
 * Development identities kept in localStorage. The viewer and the creator are separate roles, so one browser can
 * go live on `/` and send gifts on `/watch/...` without tripping SELF_GIFT.
 */
export type Role = 'viewer' | 'creator';

export interface Identity {
  token: string;
  user: Pick<User, 'id' | 'displayName'>;
}

const keyOf = (role: Role) => `giftwire.${role}`;

export function loadIdentity(role: Role): Identity | null {
  try {
    const raw = localStorage.getItem(keyOf(role));
    const v = raw ? (JSON.parse(raw) as Identity) : null;
    return v && typeof v.token === 'string' && v.user?.id ? v : null;
  } catch {
    return null;
  }
}

export function saveIdentity(role: Role, id: Identity | null): void {
  if (id) localStorage.setItem(keyOf(role), JSON.stringify(id));
  else localStorage.removeItem(keyOf(role));
}

/** `POST /v1/dev/login`: a new adult, verified user (development servers only). */
export async function devLogin(role: Role, displayName: string): Promise<Identity> {
  const res = await api<{ user: User; token: string }>('POST', '/v1/dev/login', { body: { displayName } }).catch(
    (err: unknown) => {
      // The route exists only outside production.
      if (err instanceof ApiError && err.status === 404)
        throw new ApiError(404, 'NOT_FOUND', 'Development sign-in is off on this server (NODE_ENV=production).');
      throw err;
    },
  );
  const id: Identity = { token: res.token, user: { id: res.user.id, displayName: res.user.displayName } };
  saveIdentity(role, id);
  return id;
}

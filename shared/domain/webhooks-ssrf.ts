import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Config } from '../config';
import { GiftwireError } from '../contracts/errors';

/**
 * The SSRF guard of webhooks (docs/SECURITY.md): Giftwire must not be made to POST into the network it runs in.
 * A webhook's host must be listed in WEBHOOK_ALLOWED_HOSTS when that is set; an address that is not public unicast
 * (loopback, private, link-local, unique-local, ...) is refused in production unless its host is listed, and
 * outside production only loopback is let through (so a developer's local receiver works). Checked when a webhook
 * is registered and again at every delivery, on the addresses the host resolves to then, which are the ones
 * connected to (no second resolution a rebinding DNS server could answer differently).
 */
type GuardConfig = Pick<Config, 'env' | 'webhookAllowedHosts'>;

export interface ResolvedTarget {
  address: string;
  family: 4 | 6;
}

function refused(why: string): GiftwireError {
  return new GiftwireError('VALIDATION_FAILED', `url: ${why}`, { field: 'url' });
}

/** The URL's host name, lower-case, without IPv6 brackets. */
export function webhookHost(url: string): string {
  return new URL(url).hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

/** Listed: equal to an entry, or under an entry that starts with a dot (`.example.com`). */
export function hostListed(config: GuardConfig, host: string): boolean {
  return config.webhookAllowedHosts.some((entry) =>
    entry.startsWith('.') ? host.endsWith(entry) || host === entry.slice(1) : host === entry,
  );
}

function addressAllowed(config: GuardConfig, address: string, listed: boolean): boolean {
  const range = ipaddr.process(address).range();
  if (range === 'unicast' || listed) return true;
  return range === 'loopback' && config.env !== 'production';
}

function checkHostName(config: GuardConfig, host: string): boolean {
  const listed = hostListed(config, host);
  if (config.webhookAllowedHosts.length > 0 && !listed) throw refused(`${host} is not in WEBHOOK_ALLOWED_HOSTS`);
  return listed;
}

function checkAddresses(config: GuardConfig, host: string, listed: boolean, addresses: string[]): void {
  const bad = addresses.find((a) => !addressAllowed(config, a, listed));
  if (bad !== undefined) throw refused(`${host} is (or resolves to) ${bad}, a non-public address`);
}

/**
 * At registration: the host is allowed, and so is every address it resolves to now. A name that does not resolve
 * yet is accepted (its delivery checks it again, and fails while it does not resolve).
 */
export async function checkWebhookUrl(config: GuardConfig, url: string): Promise<void> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw refused('http or https only');
  if (parsed.username || parsed.password) throw refused('no credentials in the URL');
  const host = webhookHost(url);
  const listed = checkHostName(config, host);
  if (isIP(host)) return checkAddresses(config, host, listed, [host]);
  const found = await lookup(host, { all: true, verbatim: true }).catch(() => []);
  checkAddresses(
    config,
    host,
    listed,
    found.map((a) => a.address),
  );
}

/** At delivery: the address to connect to, after the host and every address it resolves to passed the guard. */
export async function resolveWebhookTarget(config: GuardConfig, url: string): Promise<ResolvedTarget> {
  const host = webhookHost(url);
  const listed = checkHostName(config, host);
  const found = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await lookup(host, { all: true, verbatim: true }).catch(() => {
        throw refused(`${host} does not resolve`);
      });
  if (found.length === 0) throw refused(`${host} does not resolve`);
  checkAddresses(
    config,
    host,
    listed,
    found.map((a) => a.address),
  );
  const first = found[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

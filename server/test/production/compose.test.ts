import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ENV_NAMES } from '../../../shared/config';
import { parseDockerfile } from './dockerfile';

const ROOT = path.resolve(__dirname, '../../..');

/*
 * Docker does not run here: these read docker-compose.yml (YAML, merge keys resolved as Compose does) and the
 * HAProxy config it mounts, and check what `docker compose up --scale server=3` relies on.
 */
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, any>;
  volumes: Record<string, unknown>;
};
const { redis, server, workers, proxy } = compose.services;

describe('docker-compose.yml', () => {
  it('has Redis, the server, the workers and a reverse proxy, each restarted when it dies', () => {
    const always = Object.keys(compose.services).filter((name) => !compose.services[name].profiles);
    expect(always.sort()).toEqual(['proxy', 'redis', 'server', 'workers']);
    for (const s of [redis, server, workers, proxy]) expect(s.restart).toBe('unless-stopped');
  });

  it('builds the server and the workers from the repository Dockerfile, one image, two commands', () => {
    for (const s of [server, workers]) {
      expect(s.build).toBe('.');
      expect(s.image).toBe('giftwire:latest');
    }
    expect(server.command).toEqual(['node', 'dist/server/index.js']);
    expect(workers.command).toEqual(['node', 'dist/workers/index.js']);
    const stages = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
    expect(JSON.parse(stages.filter((i) => i.op === 'CMD').pop()!.args)).toEqual(server.command);
  });

  it('publishes one port, on the proxy only, so the servers scale without colliding', () => {
    expect(server.ports).toBeUndefined();
    expect(workers.ports).toBeUndefined();
    expect(proxy.ports).toEqual(['${PORT:-3000}:80']);
    expect(server.expose).toEqual(['3000']);
  });

  it('gives every long-running service a healthcheck, the server and workers through the compiled healthcheck CLI', () => {
    expect(redis.healthcheck.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(server.healthcheck.test).toEqual(['CMD', 'node', 'dist/server/cli/healthcheck.js', 'live']);
    expect(workers.healthcheck.test).toEqual(['CMD', 'node', 'dist/server/cli/healthcheck.js', 'redis']);
    expect(proxy.healthcheck.test[0]).toBe('CMD');
    for (const s of [server, workers]) expect(s.depends_on.redis.condition).toBe('service_healthy');
  });

  it('runs Redis with AOF and noeviction on a named volume', () => {
    const args = (redis.command as string[]).join(' ');
    expect(args).toMatch(/--appendonly yes/);
    expect(args).toMatch(/--maxmemory-policy noeviction/);
    expect(redis.volumes).toEqual(['redis-data:/data']);
    expect(Object.keys(compose.volumes)).toContain('redis-data');
  });

  it('passes only settings shared/config.ts reads, and trusts one proxy hop', () => {
    for (const s of [server, workers]) {
      for (const name of Object.keys(s.environment)) expect(ENV_NAMES).toContain(name);
    }
    expect(server.environment.TRUST_PROXY).toBe('${TRUST_PROXY:-1}');
    expect(server.environment.REDIS_URL).toBe('redis://redis:6379');
  });
});

describe('deploy/haproxy.cfg, the proxy in front of the servers', () => {
  const cfg = readFileSync(path.join(ROOT, 'deploy/haproxy.cfg'), 'utf8');

  it('is the file the proxy service mounts', () => {
    expect(proxy.volumes).toEqual(['./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro']);
    expect(cfg).toMatch(/^\s*bind :80$/m);
  });

  it('finds every scaled server through Docker DNS, routes by readiness, keeps sessions sticky, lets WebSockets live', () => {
    expect(cfg).toMatch(/^\s*server-template \S+ \d+ server:3000 check resolvers docker init-addr none$/m);
    expect(cfg).toMatch(/nameserver \S+ 127\.0\.0\.11:53/);
    expect(cfg).toMatch(/option httpchk GET \/health\/ready/);
    expect(cfg).toMatch(/^\s*cookie \S+ insert indirect nocache dynamic$/m);
    expect(cfg).toMatch(/^\s*dynamic-cookie-key \S+$/m);
    expect(cfg).toMatch(/timeout tunnel \d+h/);
  });
});

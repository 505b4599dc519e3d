import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { connect } from './client';
import type { ClusterNode } from '../config';
import { startLocalRedis, type LocalRedis } from './local-server';

export interface LocalClusterOptions {
  /** One port per master; each also needs a free cluster bus port. */
  ports: number[];
  busPorts: number[];
  /** Each master keeps its data (AOF, nodes.conf) in a folder of its own under `dir`. */
  dir: string;
  appendfsync?: 'always' | 'everysec';
  extraArgs?: string[];
  quiet?: boolean;
}

export interface LocalCluster {
  nodes: ClusterNode[];
  /** `host:port,host:port,...`: the value of REDIS_CLUSTER_NODES. */
  nodesEnv: string;
  masters: LocalRedis[];
  stop(): Promise<void>;
}

export function findRedisCli(): string | null {
  const r = spawnSync('sh', ['-c', 'command -v redis-cli'], { encoding: 'utf8' });
  const found = r.stdout.trim();
  return r.status === 0 && found ? found : null;
}

/**
 * A real Redis Cluster of masters without replicas on this machine: one redis-server per port in cluster mode
 * (with the settings money needs: AOF on, noeviction), joined by `redis-cli --cluster create`, resolved once every
 * master reports cluster_state:ok with all 16384 slots assigned.
 */
export async function startLocalCluster(opts: LocalClusterOptions): Promise<LocalCluster> {
  const cli = findRedisCli();
  if (!cli) throw new Error('redis-cli was not found on PATH (Debian: apt-get install redis-tools)');
  if (opts.ports.length < 3) throw new Error('a Redis Cluster needs at least three masters');
  const masters: LocalRedis[] = [];
  const stop = async () => {
    await Promise.all(masters.map((m) => m.stop()));
  };
  try {
    for (const [i, port] of opts.ports.entries()) {
      masters.push(
        await startLocalRedis({
          port,
          dir: path.join(opts.dir, `node-${port}`),
          appendfsync: opts.appendfsync,
          quiet: opts.quiet,
          extraArgs: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-port',
            String(opts.busPorts[i]),
            '--cluster-node-timeout',
            '5000',
            ...(opts.extraArgs ?? []),
          ],
        }),
      );
    }
    const nodes = opts.ports.map((port) => ({ host: '127.0.0.1', port }));
    await run(cli, [
      '--cluster',
      'create',
      ...nodes.map((n) => `${n.host}:${n.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitClusterOk(nodes);
    return { nodes, nodesEnv: nodes.map((n) => `${n.host}:${n.port}`).join(','), masters, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function run(bin: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(bin)} ${args.join(' ')} failed (${code}):\n${out}`)),
    );
  });
}

/** Every master must see the whole cluster before clients use it, or their first commands meet CLUSTERDOWN. */
async function waitClusterOk(nodes: ClusterNode[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const conns = nodes.map((n) => connect(`redis://${n.host}:${n.port}`, { maxRetriesPerRequest: 1 }));
  try {
    for (;;) {
      const infos = await Promise.all(conns.map((c) => c.cluster('INFO') as Promise<string>));
      const ok = infos.every(
        (info) =>
          info.includes('cluster_state:ok') &&
          info.includes('cluster_slots_assigned:16384') &&
          info.includes(`cluster_known_nodes:${nodes.length}`),
      );
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`the Redis Cluster did not reach cluster_state:ok:\n${infos[0]}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    for (const c of conns) c.disconnect();
  }
}

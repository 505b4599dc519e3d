import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { freePort } from '../../../shared/testing/free-port';
import { testDeps } from '../../../shared/testing/harness';
import { startWorkerMetrics, type WorkerMetrics } from '../../../workers/metrics';
import { startTestServer, type TestServer } from '../support/test-server';
import { families } from './prometheus-text';

const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/**
 * What the monitoring profile ships: a Grafana dashboard with a panel for every Giftwire metric that a server or a
 * workers process really exposes (read from live scrapes, so a new metric without a panel fails here), alert rules
 * on real metric names, and a Prometheus config that scrapes both with the operator token.
 */
describe('the dashboard, the alert rules and the Prometheus config cover the metrics', () => {
  let server: TestServer;
  let workers: WorkerMetrics;
  const workerDeps = testDeps();
  let exposed: string[];
  beforeAll(async () => {
    server = await startTestServer();
    workers = await startWorkerMetrics({
      ...workerDeps,
      config: { ...workerDeps.config, host: '127.0.0.1', workerMetricsPort: await freePort() },
    });
    const auth = { authorization: `Bearer ${server.deps.config.adminToken}` };
    const texts = await Promise.all(
      [`${server.url}/metrics`, `http://127.0.0.1:${workers.port}/metrics`].map((u) =>
        fetch(u, { headers: auth }).then((r) => r.text()),
      ),
    );
    exposed = [...new Set(texts.flatMap(families))].filter((n) => n.startsWith('giftwire_')).sort();
  });
  afterAll(async () => {
    await workers.close();
    await workerDeps.close();
    await server.close();
  });

  test('the Grafana JSON parses and has a panel for every giftwire_ metric of the server and the workers', () => {
    const dashboard = JSON.parse(read('docs/grafana-dashboard.json'));
    const panels: Array<{ id: number; title: string; targets: Array<{ expr: string }>; datasource: { uid: string } }> =
      dashboard.panels;
    expect(exposed).toEqual(
      expect.arrayContaining(['giftwire_gift_ack_seconds', 'giftwire_settlement_lag_seconds', 'giftwire_queue_jobs']),
    );
    const withoutPanel = exposed.filter(
      (name) =>
        !panels.some((p) => p.targets.some((t) => new RegExp(`\\b${name}(_bucket|_sum|_count)?\\b`).test(t.expr))),
    );
    expect(withoutPanel).toEqual([]);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const datasource = parseYaml(read('deploy/monitoring/grafana/datasources/prometheus.yml')).datasources[0];
    for (const p of panels) expect(p.datasource.uid).toBe(datasource.uid);
  });

  test('alert rules name real metrics and cover settlement lag, failed jobs, outbox growth and readiness', () => {
    const rules: Array<{ alert: string; expr: string; for: string }> = parseYaml(
      read('deploy/monitoring/alerts.yml'),
    ).groups.flatMap((g: { rules: unknown[] }) => g.rules);
    const byName = new Map(rules.map((r) => [r.alert, r.expr]));
    expect(byName.get('GiftwireSettlementLagging')).toContain('giftwire_outbox_oldest_age_seconds');
    expect(byName.get('GiftwireFailedJobs')).toContain('giftwire_queue_jobs{state="failed"}');
    expect(byName.get('GiftwireOutboxGrowing')).toContain('giftwire_outbox_depth');
    expect(byName.get('GiftwireNotReady')).toContain('giftwire_ready');
    for (const r of rules) {
      for (const m of r.expr.match(/giftwire_[a-z_]+/g) ?? []) {
        expect({ alert: r.alert, metric: exposed.includes(m.replace(/_(bucket|sum|count)$/, '')) }).toEqual({
          alert: r.alert,
          metric: true,
        });
      }
    }
  });

  test('Prometheus scrapes the servers and the workers with the operator token and loads the rules', () => {
    const config = parseYaml(read('deploy/monitoring/prometheus.yml'));
    expect(config.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    const jobs = new Map(config.scrape_configs.map((j: any) => [j.job_name, j]));
    for (const [job, port] of [
      ['giftwire-server', 3000],
      ['giftwire-workers', 9464],
    ] as const) {
      const j: any = jobs.get(job);
      expect(j.authorization).toEqual({ type: 'Bearer', credentials_file: '/etc/prometheus/admin-token' });
      expect(j.dns_sd_configs[0].port).toBe(port);
    }
    expect(server.deps.config.workerMetricsPort).toBe(9464); // the default the workers job scrapes
  });
});

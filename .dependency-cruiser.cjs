/**
 * Layering and circle check, run by `npm test` (npm run deps). The rules are the ones docs/ARCHITECTURE.md draws:
 * imports run one way, server and workers -> shared/usecases -> shared/domain -> shared/redis, anything ->
 * shared/contracts, and the browser pages see nothing but shared/contracts.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle of imports hides which module owns what.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-not-up',
      severity: 'error',
      comment: 'shared/ is below server/ and workers/: it never imports them.',
      from: { path: '^shared/' },
      to: { path: '^(server|workers)/' },
    },
    {
      name: 'server-not-workers',
      severity: 'error',
      comment: 'server/ and workers/ are separate entry points; what both need lives in shared/.',
      from: { path: '^server/', pathNot: '/test/' },
      to: { path: '^workers/' },
    },
    {
      name: 'workers-not-server',
      severity: 'error',
      from: { path: '^workers/', pathNot: '/test/' },
      to: { path: '^server/' },
    },
    {
      name: 'pages-see-contracts-only',
      severity: 'error',
      comment:
        'The browser pages are bundled for the browser: only shared/contracts (browser-safe) and their own files.',
      from: { path: '^server/public/src/' },
      to: { pathNot: '^(server/public/src/|shared/contracts/)' },
    },
    {
      name: 'contracts-are-leaves',
      severity: 'error',
      comment: 'shared/contracts is browser-safe: it imports nothing of ours but itself, and no Node built-in.',
      from: { path: '^shared/contracts/' },
      to: { pathNot: '^shared/contracts/' },
    },
    {
      name: 'domain-below-runtime',
      severity: 'error',
      comment:
        'shared/runtime is process plumbing (boot and shutdown, queues, batching, sweeps, job reports): it uses the domain, the domain never uses it.',
      from: { path: '^shared/(domain|redis|contracts)/' },
      to: { path: '^shared/runtime/' },
    },
    {
      name: 'domain-below-usecases',
      severity: 'error',
      comment:
        'shared/usecases orchestrate the domain (a transition, its timer, its announcement); the domain never calls up.',
      from: { path: '^shared/(domain|redis|contracts)/' },
      to: { path: '^shared/usecases/' },
    },
    {
      name: 'routes-not-realtime',
      severity: 'error',
      comment:
        'HTTP routes and socket handlers are siblings: what both need is a use case in shared/usecases, not one importing the other.',
      from: { path: '^server/http/' },
      to: { path: '^server/realtime/' },
    },
    {
      name: 'redis-below-domain',
      severity: 'error',
      comment: 'shared/redis is below shared/domain.',
      from: { path: '^shared/redis/' },
      to: { path: '^shared/domain/' },
    },
    {
      name: 'production-not-test-support',
      severity: 'error',
      comment: 'Running code never imports test support.',
      from: { path: '^(server|workers|shared)/', pathNot: '(/test/|^shared/testing/)' },
      to: { path: '(/test/|^shared/testing/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    includeOnly: '^(server|workers|shared|load-tests)/',
  },
};

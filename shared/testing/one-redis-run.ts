/**
 * setupFiles of the jest project `one`: this test file runs against the one test redis-server, even when the shell
 * that started jest has REDIS_CLUSTER_NODES set (it would win over REDIS_URL in every process the test spawns).
 */
delete process.env.REDIS_CLUSTER_NODES;

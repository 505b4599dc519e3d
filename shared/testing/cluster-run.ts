/**
 * setupFiles of the jest project `cluster`: this test file runs against the test Redis Cluster. Set in the file's
 * own process.env, so testDeps() and startTestServer() build cluster connections, and every process the test
 * spawns (servers, workers, CLIs) inherits REDIS_CLUSTER_NODES and uses the cluster too.
 */
const nodes = process.env.TEST_REDIS_CLUSTER_NODES;
if (!nodes) throw new Error('TEST_REDIS_CLUSTER_NODES is not set: run the cluster project through jest');
process.env.REDIS_CLUSTER_NODES = nodes;

import { startTestCluster } from './global-setup';

/** globalSetup of the jest project `cluster`: a file of its own, because jest runs each setup file once per run. */
export default startTestCluster;

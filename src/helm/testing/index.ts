/**
 * Test support for Helm: fixture charts and loopback chart servers. Used by the Helm tests and
 * the end-to-end tests; never by production code.
 */
export { type ChartRepo, type ChartRepoOptions, startChartRepo } from './chart-repo-server.js';
export { type ChartInput, FIXTURE_CHARTS, fixtureChart, fixtureChartsDir, packInputs } from './fixtures.js';
export { type OciRegistry, type OciRegistryOptions, startOciRegistry } from './oci-registry-server.js';
export { generateTestTls, type TestTls } from './tls.js';

export { registerSveltosctlCommands } from './commands.js';
export { parseOutput, renderData } from './output.js';
export { dependencyOrder, redeployCluster } from './redeploy.js';
export { deregisterCluster, extractContext, parseLabelList, registerCluster } from './register.js';
export { renderTable } from './table.js';

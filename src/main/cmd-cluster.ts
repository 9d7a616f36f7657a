import type { Command } from 'commander';
import { UsageError } from '../lib/errors.js';
import { connectFleet, createCluster, deleteCluster } from './fleet/control.js';
import { checkClusterName, parseLabels } from './fleet/spec.js';
import { DEFAULT_STATE_DIR, statePaths } from './fleet/state.js';
import { registerCommand } from './registry.js';

function timeoutMs(text: string): number {
  const s = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(s) || s < 1 || s > 3600)
    throw new UsageError(
      `--timeout must be a whole number of seconds between 1 and 3600, got ${JSON.stringify(text)}`,
    );
  return s * 1000;
}

registerCommand((program: Command) => {
  const cluster = program
    .command('cluster')
    .description('create or delete embedded clusters of the running `flotilla up`');
  cluster
    .command('create')
    .argument('<name>', 'cluster name (lowercase letters, digits, -)')
    .description('create an embedded cluster, register it with its labels and wait until it is ready')
    .option('--labels <k=v,...>', 'labels of its SveltosCluster (profiles select clusters by them)', '')
    .option('--state <dir>', `state directory of the running flotilla up (default ${DEFAULT_STATE_DIR})`)
    .option('--timeout <seconds>', 'how long to wait for the cluster to be ready', '60')
    .action(async (name: string, o: { labels: string; state?: string; timeout: string }) => {
      checkClusterName(name, 'flotilla cluster create');
      const spec = { name, labels: parseLabels(o.labels, '--labels') };
      const ms = timeoutMs(o.timeout);
      const paths = statePaths(o.state);
      const mgmt = await connectFleet(paths);
      try {
        await createCluster(mgmt, paths, spec, ms);
      } finally {
        mgmt.close();
      }
      process.stdout.write(`kubeconfig ${name} ${paths.kubeconfig(name)}\ncluster ${name} ready\n`);
    });
  cluster
    .command('delete')
    .argument('<name>', 'cluster name')
    .description('delete an embedded cluster: deregister it and drop its data')
    .option('--state <dir>', `state directory of the running flotilla up (default ${DEFAULT_STATE_DIR})`)
    .option('--timeout <seconds>', 'how long to wait for the cluster to be gone', '60')
    .action(async (name: string, o: { state?: string; timeout: string }) => {
      checkClusterName(name, 'flotilla cluster delete');
      const ms = timeoutMs(o.timeout);
      const paths = statePaths(o.state);
      const mgmt = await connectFleet(paths);
      try {
        await deleteCluster(mgmt, paths, name, ms);
      } finally {
        mgmt.close();
      }
      process.stdout.write(`cluster ${name} deleted\n`);
    });
});

import type { Command } from 'commander';
import { startApiServer } from '../apiserver/index.js';
import { UsageError } from '../lib/errors.js';
import { parsePort } from './fleet/spec.js';
import { checkStateDir } from './fleet/state.js';
import { registerCommand } from './registry.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

registerCommand((program: Command) => {
  program
    .command('apiserver')
    .description('run the embedded Kubernetes API server (virtual clusters under /clusters/<name>)')
    .option('--state <dir>', 'state directory: SQLite database and one kubeconfig per cluster')
    .option('--port <port>', 'HTTPS port (0 picks a free one)', '6443')
    .option('--cluster <name>', 'virtual cluster to serve (repeatable)', collect, [])
    .option('--memory', 'keep state in memory only', false)
    .action(async (o: { state?: string; port: string; cluster: string[]; memory: boolean }) => {
      const port = parsePort(o.port, '--port');
      if (!o.state && !o.memory) throw new UsageError('--state DIR is required (or pass --memory)');
      if (o.state) checkStateDir(o.state);
      for (const c of o.cluster)
        if (c.length > 63 || !DNS_LABEL.test(c))
          throw new UsageError(
            `--cluster ${JSON.stringify(c)}: invalid cluster name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`,
          );
      const dup = o.cluster.find((c, i) => o.cluster.indexOf(c) !== i);
      if (dup !== undefined) throw new UsageError(`--cluster ${dup} is given twice; name each cluster once`);
      const clusters = o.cluster.length > 0 ? o.cluster : ['default'];
      const server = await startApiServer({ stateDir: o.state, memory: o.memory, port, clusters });
      process.stdout.write(`listening https://127.0.0.1:${server.port}\n`);
      for (const c of clusters) process.stdout.write(`kubeconfig ${c} ${server.kubeconfigPath(c)}\n`);
      process.stdout.write('ready\n');
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.stop().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
});

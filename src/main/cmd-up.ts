import type { Command } from 'commander';
import pino from 'pino';
import { UsageError } from '../lib/errors.js';
import { createLogger } from '../runtime/index.js';
import { parseDuration } from './fleet/events.js';
import { type LocalFleet, startLocalFleet } from './fleet/local-fleet.js';
import { parseClusterFlags, parsePort } from './fleet/spec.js';
import { checkStateDir, DEFAULT_STATE_DIR, statePaths } from './fleet/state.js';
import { registerCommand } from './registry.js';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type Level = (typeof LEVELS)[number];

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

interface UpFlags {
  state?: string;
  port?: string;
  cluster: string[];
  logLevel: string;
  nats: boolean;
  eventRemovalGrace?: string;
}

function nextSteps(state: string, mgmtKubeconfig: string): string[] {
  const s = state === DEFAULT_STATE_DIR ? '' : ` --state ${state}`;
  return [
    '',
    'Next:',
    `  export KUBECONFIG=${mgmtKubeconfig}`,
    '  kubectl get sveltosclusters -A --show-labels',
    '  kubectl apply -f clusterprofile.yaml   # e.g. a ClusterProfile selecting env=production',
    '  kubectl apply -f events.yaml           # EventSource + EventTrigger (lib.projectsveltos.io/v1beta1)',
    `  flotilla cluster create edge-1 --labels env=production${s}`,
    `  flotilla cluster delete edge-1${s}`,
    'Stop with Ctrl-C; run the same command again to resume.',
  ];
}

registerCommand((program: Command) => {
  program
    .command('up')
    .description(
      'run a local fleet in this process: the embedded API server with the management cluster "mgmt" and managed clusters (default cluster-a env=production, cluster-b env=staging on a fresh state), the Sveltos CRDs, the controllers and the agents',
    )
    .option('--state <dir>', `state directory: database, kubeconfigs, log (default ${DEFAULT_STATE_DIR})`)
    .option('--port <port>', "HTTPS port (default: the last run's port, else a free one)")
    .option(
      '--cluster <name[,key=value...]>',
      'managed cluster to have, with its labels (repeatable; default on a fresh state: cluster-a,env=production and cluster-b,env=staging)',
      collect,
      [],
    )
    .option(
      '--nats',
      'also run the NATS/JetStream CloudEvent watcher in every agent (opt-in, like Sveltos --enable-nats-watcher; configured by the Secret projectsveltos/sveltos-nats in each managed cluster)',
      false,
    )
    .option(
      '--event-removal-grace <duration>',
      'how long an EventReport must stay empty or missing before the profiles its EventTrigger generated are withdrawn (e.g. 500ms, 5s, 2m; default 30s, as Sveltos)',
    )
    .option(
      '--log-level <level>',
      `controller log level in STATE/flotilla.log (${LEVELS.join(', ')})`,
      'info',
    )
    .action(async (o: UpFlags) => {
      const port = o.port === undefined ? undefined : parsePort(o.port, '--port');
      const clusters = parseClusterFlags(o.cluster);
      const emptyGraceMs =
        o.eventRemovalGrace === undefined
          ? undefined
          : parseDuration(o.eventRemovalGrace, '--event-removal-grace');
      if (!(LEVELS as readonly string[]).includes(o.logLevel))
        throw new UsageError(
          `--log-level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(o.logLevel)}`,
        );
      checkStateDir(o.state ?? DEFAULT_STATE_DIR);
      const paths = statePaths(o.state);
      const progress = (line: string) => process.stderr.write(`flotilla up: ${line}\n`);
      let dest: ReturnType<typeof pino.destination> | undefined;
      const logger = (() => {
        if (o.logLevel === 'silent') return createLogger({ level: 'silent' });
        return createLogger({
          level: o.logLevel as Level,
          destination: (dest = pino.destination({ dest: paths.log, mkdir: true, sync: true })),
        });
      })();

      // Signals received while starting stop the fleet as soon as it is up (or abandon the start).
      let stopRequested = false;
      let wake: () => void = () => {};
      const onSignal = () => {
        stopRequested = true;
        wake();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let fleet: LocalFleet | undefined;
      try {
        fleet = await startLocalFleet({
          paths,
          ...(port !== undefined ? { port } : {}),
          clusters,
          logger,
          progress,
          events: { nats: o.nats, ...(emptyGraceMs !== undefined ? { emptyGraceMs } : {}) },
        });
        const out: string[] = [];
        for (const c of fleet.clusters()) out.push(`kubeconfig ${c.name} ${c.kubeconfig}`);
        out.push('ready');
        out.push(...nextSteps(o.state ?? DEFAULT_STATE_DIR, paths.kubeconfig('mgmt')));
        process.stdout.write(`${out.join('\n')}\n`);
        if (!stopRequested) await Promise.race([new Promise<void>((r) => (wake = r)), fleet.done]);
        progress('stopping');
        await fleet.stop();
        progress('stopped');
      } catch (err) {
        await fleet?.stop();
        throw err;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        dest?.flushSync();
      }
    });
});

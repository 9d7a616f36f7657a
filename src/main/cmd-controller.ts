import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { Registry } from 'prom-client';
import { createManagementPlane, planeModules } from '../controllers/management-plane.js';
import { errorMessage, FlotillaError, UsageError } from '../lib/errors.js';
import { AlreadyExistsError, type KubeClient, type KubeconfigSource } from '../kube/index.js';
import { createLogger, Manager } from '../runtime/index.js';
import { AgentlessAgents } from './fleet/agents.js';
import { installCrds } from './fleet/crds.js';
import { AgentlessEvents } from './fleet/events.js';
import { parsePort } from './fleet/spec.js';
import { registerCommand } from './registry.js';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type Level = (typeof LEVELS)[number];
const LEASE_NAME = 'flotilla-controller';

interface ControllerFlags {
  kubeconfig?: string;
  context?: string;
  installCrds: boolean;
  metricsPort?: string;
  leaderElect: boolean;
  leaderElectionNamespace: string;
  agentless: boolean;
  logLevel: string;
}

/** --kubeconfig, else in a pod its service account, else $KUBECONFIG, else ~/.kube/config. */
function kubeconfigSource(o: ControllerFlags): { source: KubeconfigSource; where: string } {
  const ctx = o.context ? { context: o.context } : {};
  if (o.kubeconfig !== undefined) {
    if (!existsSync(o.kubeconfig))
      throw new UsageError(
        `--kubeconfig ${o.kubeconfig}: no such file; pass the management cluster's kubeconfig`,
      );
    return { source: { file: o.kubeconfig, ...ctx }, where: o.kubeconfig };
  }
  if (process.env.KUBERNETES_SERVICE_HOST)
    return { source: { inCluster: true }, where: 'in-cluster service account' };
  const env = process.env.KUBECONFIG?.split(':').find((f) => f && existsSync(f));
  if (env) return { source: { file: env, ...ctx }, where: env };
  const home = join(homedir(), '.kube', 'config');
  if (existsSync(home)) return { source: { file: home, ...ctx }, where: home };
  throw new UsageError(
    'no management cluster: pass --kubeconfig FILE (or set KUBECONFIG), or run in a pod with a service account',
  );
}

async function ensureNamespace(client: KubeClient, name: string): Promise<void> {
  try {
    await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  } catch (err) {
    if (err instanceof AlreadyExistsError) return;
    // Without the right to create namespaces the Lease write says what is missing.
    if ((err as { code?: string }).code === 'Forbidden') return;
    throw err;
  }
}

registerCommand((program: Command) => {
  program
    .command('controller')
    .description(
      'run the management plane (cluster registration, add-on deployment) against a management cluster, from outside it or in a pod',
    )
    .option(
      '--kubeconfig <file>',
      'kubeconfig of the management cluster (default: in-cluster, $KUBECONFIG, ~/.kube/config)',
    )
    .option('--context <name>', 'kubeconfig context to use instead of the current one')
    .option('--install-crds', 'install or upgrade the Sveltos CRDs before starting', false)
    .option('--metrics-port <port>', 'serve /metrics, /healthz and /readyz on this port (0: a free one)')
    .option('--leader-elect', 'campaign on a Lease so that only one replica reconciles', false)
    .option('--leader-election-namespace <ns>', 'namespace of the Lease', 'projectsveltos')
    .option(
      '--agentless',
      'also run the agents (drift detection, EventSource evaluation) in this process for every ready cluster; EventTriggers then hand their EventSources to these agents instead of deploying them',
      false,
    )
    .option('--log-level <level>', `JSON log level on stdout (${LEVELS.join(', ')})`, 'info')
    .action(async (o: ControllerFlags) => {
      const metricsPort =
        o.metricsPort === undefined ? undefined : parsePort(o.metricsPort, '--metrics-port');
      if (!(LEVELS as readonly string[]).includes(o.logLevel))
        throw new UsageError(
          `--log-level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(o.logLevel)}`,
        );
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.leaderElectionNamespace))
        throw new UsageError(
          `--leader-election-namespace ${JSON.stringify(o.leaderElectionNamespace)} is not a namespace name: use lowercase letters, digits and '-'`,
        );
      const { source, where } = kubeconfigSource(o);
      const progress = (line: string) => process.stderr.write(`flotilla controller: ${line}\n`);
      const logger = createLogger({ level: o.logLevel as Level });
      const registry = new Registry();
      // Agentless: the EventTrigger controllers feed the in-process agents' EventSources.
      const events = o.agentless ? new AgentlessEvents() : undefined;
      let plane: Awaited<ReturnType<typeof createManagementPlane>>;
      try {
        plane = await createManagementPlane(
          {
            kubeconfig: source,
            logger,
            registry,
            needLeaderElection: o.leaderElect,
          },
          events ? events.planeModules(planeModules) : planeModules,
        );
      } catch (err) {
        // Nothing is contacted yet: this is the file (or --context) being unusable, bad input.
        throw new UsageError(
          `cannot use the kubeconfig ${where}: ${errorMessage(err)}; check the file and --context`,
          { cause: err },
        );
      }
      const ac = new AbortController();
      setMaxListeners(0, ac.signal);
      const stop = () => ac.abort();
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      try {
        try {
          const v = await plane.mgmt.serverVersion();
          progress(`management cluster ${where} (Kubernetes ${v.gitVersion})`);
        } catch (err) {
          throw new FlotillaError(
            'unreachable',
            `the management cluster of ${where} does not answer: ${errorMessage(err)}; check that it runs and the kubeconfig points to it`,
            { cause: err },
          );
        }
        if (o.installCrds) {
          const n = await installCrds(plane.mgmt, { signal: ac.signal });
          progress(`installed or upgraded ${n} Sveltos CRDs`);
        }
        if (o.leaderElect) await ensureNamespace(plane.mgmt, o.leaderElectionNamespace);
        const manager = new Manager({
          logger,
          registry,
          processMetrics: true,
          ...(metricsPort !== undefined ? { healthPort: metricsPort } : {}),
          ...(o.leaderElect
            ? {
                leaderElection: {
                  client: plane.mgmt,
                  namespace: o.leaderElectionNamespace,
                  name: LEASE_NAME,
                },
              }
            : {}),
        });
        plane.addTo(manager);
        if (events)
          manager.add(
            new AgentlessAgents({
              connections: plane.connections,
              logger,
              modules: events.agentModules(plane.mgmt),
            }),
            'agentless-agents',
          );
        const run = manager.start(ac.signal);
        // Tell the user (and scripts) once the caches are warm.
        while (!ac.signal.aborted && !plane.informers.hasSynced()) {
          const settled = await Promise.race([
            run.then(() => true),
            new Promise((r) => setTimeout(r, 50, false)),
          ]);
          if (settled) break;
        }
        if (!ac.signal.aborted) {
          if (manager.port !== undefined)
            progress(`serving /metrics, /healthz, /readyz on port ${manager.port}`);
          progress(
            o.leaderElect ? `campaigning on Lease ${o.leaderElectionNamespace}/${LEASE_NAME}` : 'running',
          );
          process.stdout.write('ready\n');
        }
        await run;
        progress('stopped');
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        await plane.close();
      }
    });
});

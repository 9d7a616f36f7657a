import type { Command } from 'commander';
import { UsageError } from '../lib/errors.js';
import {
  connectManagement,
  fetchExplanation,
  formatExplanation,
  managementKubeconfigPath,
} from '../query/index.js';
import { parseOutput, renderData } from './output.js';
import { redeployCluster } from './redeploy.js';
import {
  checkName,
  deregisterCluster,
  extractContext,
  parseLabelList,
  readKubeconfigFile,
  registerCluster,
} from './register.js';
import { registerShow, withManagement } from './show.js';

/** Registers the sveltosctl-compatible commands and `explain`. `version` is the client version. */
export function registerSveltosctlCommands(program: Command, version: string): void {
  const reg = program.command('register').description('register a cluster with the management cluster');
  reg
    .command('cluster')
    .description('create the SveltosCluster and its kubeconfig Secret <name>-sveltos-kubeconfig')
    .option('--namespace <ns>', 'namespace of the SveltosCluster')
    .option('--cluster <name>', 'name of the SveltosCluster')
    .option('--kubeconfig <file>', "the managed cluster's kubeconfig")
    .option(
      '--fleet-cluster-context <ctx>',
      'take the managed cluster from this context of KUBECONFIG instead',
    )
    .option('--labels <k=v,...>', 'labels of the SveltosCluster')
    .option('--verbose', 'accepted for sveltosctl compatibility')
    .action(
      async (o: {
        namespace?: string;
        cluster?: string;
        kubeconfig?: string;
        fleetClusterContext?: string;
        labels?: string;
      }) => {
        const namespace = checkName(o.namespace, '--namespace');
        const name = checkName(o.cluster, '--cluster');
        if (Boolean(o.kubeconfig) === Boolean(o.fleetClusterContext))
          throw new UsageError(
            'pass exactly one of --kubeconfig FILE or --fleet-cluster-context CTX to say how to reach the cluster',
          );
        const labels = parseLabelList(o.labels);
        // The cluster's own kubeconfig first: it is the file this command was given.
        const own = o.kubeconfig ? readKubeconfigFile(o.kubeconfig) : undefined;
        const mgmtFile = managementKubeconfigPath(undefined);
        const kubeconfig =
          own ?? extractContext(readKubeconfigFile(mgmtFile), o.fleetClusterContext ?? '', mgmtFile);
        await withManagement({}, async (mgmt) => {
          await registerCluster(mgmt, { namespace, name, kubeconfig, labels });
          return `SveltosCluster ${namespace}/${name} registered\n`;
        });
      },
    );

  const dereg = program.command('deregister').description('deregister a cluster');
  dereg
    .command('cluster')
    .description('delete the SveltosCluster and its kubeconfig Secret')
    .option('--namespace <ns>', 'namespace of the SveltosCluster')
    .option('--cluster <name>', 'name of the SveltosCluster')
    .option('--kubeconfig <file>', 'kubeconfig of the management cluster')
    .action(async (o: { namespace?: string; cluster?: string; kubeconfig?: string }) => {
      const namespace = checkName(o.namespace, '--namespace');
      const name = checkName(o.cluster, '--cluster');
      await withManagement(o, async (mgmt) => {
        await deregisterCluster(mgmt, namespace, name);
        return `SveltosCluster ${namespace}/${name} deregistered\n`;
      });
    });

  registerShow(program);

  program
    .command('redeploy')
    .description('force a full re-apply')
    .command('cluster')
    .description('clear the status of every ClusterSummary of a cluster (in dependsOn order)')
    .option('--namespace <ns>', 'namespace of the cluster')
    .option('--cluster <name>', 'name of the cluster')
    .option('--cluster-type <type>', 'Capi or Sveltos', 'Sveltos')
    .option('--kubeconfig <file>', 'kubeconfig of the management cluster')
    .action(async (o: { namespace?: string; cluster?: string; clusterType: string; kubeconfig?: string }) => {
      const namespace = checkName(o.namespace, '--namespace');
      const name = checkName(o.cluster, '--cluster');
      const type =
        o.clusterType.toLowerCase() === 'capi'
          ? 'Capi'
          : o.clusterType.toLowerCase() === 'sveltos'
            ? 'Sveltos'
            : undefined;
      if (!type)
        throw new UsageError(
          `--cluster-type ${JSON.stringify(o.clusterType)} is not Capi or Sveltos: pass --cluster-type Capi or --cluster-type Sveltos`,
        );
      await withManagement(o, async (mgmt) => {
        const names = await redeployCluster(mgmt, namespace, name, type);
        return names.map((n) => `ClusterSummary ${namespace}/${n} status cleared\n`).join('');
      });
    });

  program
    .command('version')
    .description("print the client version and the management cluster's server version")
    .option('--kubeconfig <file>', 'kubeconfig of the management cluster')
    .action(async (o: { kubeconfig?: string }) => {
      // The kubeconfig is checked first: bad input prints nothing else.
      const mgmt = await connectManagement({ ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}) });
      process.stdout.write(`Client Version: ${version}\n`);
      try {
        const v = await mgmt.serverVersion();
        process.stdout.write(`Server Version: ${v.gitVersion ?? `${v.major}.${v.minor}`}\n`);
      } finally {
        mgmt.close();
      }
    });

  program
    .command('explain')
    .description('explain decisions')
    .command('profile')
    .argument('<name>', 'name of the ClusterProfile (or Profile with --kind Profile)')
    .description('why a profile is, or is not, deployed on each cluster')
    .option('--cluster <ns/name>', 'only this cluster')
    .option('--kind <kind>', 'ClusterProfile or Profile', 'ClusterProfile')
    .option('--namespace <ns>', 'namespace of a Profile')
    .option('--kubeconfig <file>', 'kubeconfig of the management cluster')
    .option('-o, --output <format>', 'json or yaml instead of text')
    .action(
      async (
        name: string,
        o: { cluster?: string; kind: string; namespace?: string; kubeconfig?: string; output?: string },
      ) => {
        const format = parseOutput(o.output);
        if (o.kind !== 'ClusterProfile' && o.kind !== 'Profile')
          throw new UsageError(
            `--kind ${JSON.stringify(o.kind)} is not ClusterProfile or Profile: pass --kind ClusterProfile or --kind Profile`,
          );
        if (o.kind === 'Profile' && !o.namespace)
          throw new UsageError('--kind Profile needs --namespace NS: Profiles are namespaced');
        if (o.cluster && !/^[^/\s]+\/[^/\s]+$/.test(o.cluster))
          throw new UsageError(
            `--cluster ${JSON.stringify(o.cluster)} is not namespace/name: write --cluster NS/NAME`,
          );
        await withManagement(o, async (mgmt) => {
          const e = await fetchExplanation(mgmt, {
            kind: o.kind as 'ClusterProfile' | 'Profile',
            name,
            ...(o.kind === 'Profile' && o.namespace ? { namespace: o.namespace } : {}),
            ...(o.cluster ? { cluster: o.cluster } : {}),
          });
          return format === 'table' ? formatExplanation(e) : renderData(format, e);
        });
      },
    );
}

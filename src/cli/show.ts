import type { Command } from 'commander';
import type { KubeClient } from '../kube/index.js';
import { UsageError } from '../lib/errors.js';
import {
  connectManagement,
  parseProfileRef,
  queryAddons,
  queryDryRun,
  queryResources,
  queryUsage,
  usageKinds,
} from '../query/index.js';
import { parseOutput, renderData } from './output.js';
import { renderTable } from './table.js';

interface Common {
  kubeconfig?: string;
  output?: string;
  verbose?: boolean;
}

/** Connects, runs `fn`, closes; prints the returned text. */
export async function withManagement(
  o: { kubeconfig?: string },
  fn: (mgmt: KubeClient) => Promise<string>,
): Promise<void> {
  const mgmt = await connectManagement({ ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}) });
  try {
    process.stdout.write(await fn(mgmt));
  } finally {
    mgmt.close();
  }
}

function common(cmd: Command): Command {
  return cmd
    .option(
      '--kubeconfig <file>',
      'kubeconfig of the management cluster (default KUBECONFIG, then ~/.kube/config)',
    )
    .option('-o, --output <format>', 'json or yaml instead of a table')
    .option('--verbose', 'accepted for sveltosctl compatibility');
}

function show<T>(
  format: string | undefined,
  rows: T[],
  headers: string[],
  cells: (r: T) => string[],
): string {
  const f = parseOutput(format);
  return f === 'table' ? renderTable(headers, rows.map(cells)) : renderData(f, rows);
}

export function registerShow(program: Command): void {
  const cmd = program
    .command('show')
    .description('show what Sveltos deployed, would deploy, collected and uses');

  common(cmd.command('addons'))
    .description('resources and Helm charts deployed in each cluster (from ClusterConfigurations)')
    .option('--namespace <ns>', 'only clusters of this namespace')
    .option('--cluster <name>', 'only clusters with this name')
    .option('--profile <kind/name>', 'only what ClusterProfile/<name> or Profile/<name> deployed')
    .option('--helm-charts', 'only Helm charts')
    .option('--resources', 'only resources')
    .action(
      async (
        o: Common & {
          namespace?: string;
          cluster?: string;
          profile?: string;
          helmCharts?: boolean;
          resources?: boolean;
        },
      ) => {
        parseOutput(o.output);
        const profile = o.profile ? parseProfileRef(o.profile) : undefined;
        await withManagement(o, async (mgmt) => {
          const rows = await queryAddons(mgmt, {
            ...(o.namespace ? { namespace: o.namespace } : {}),
            ...(o.cluster ? { cluster: o.cluster } : {}),
            ...(profile ? { profile } : {}),
            ...(o.helmCharts ? { helmCharts: true } : {}),
            ...(o.resources ? { resources: true } : {}),
          });
          return show(
            o.output,
            rows,
            [
              'CLUSTER',
              'RESOURCE TYPE',
              'NAMESPACE',
              'NAME',
              'VERSION',
              'TIME',
              'DEPLOYMENT TYPE',
              'PROFILES',
            ],
            (r) => [
              r.cluster,
              r.resourceType,
              r.namespace,
              r.name,
              r.version,
              r.time,
              r.deploymentType,
              r.profiles.join('\n'),
            ],
          );
        });
      },
    );

  common(cmd.command('resources'))
    .description('resources collected from managed clusters (HealthCheckReports, EventReports)')
    .option('--group <group>', 'only this API group')
    .option('--kind <kind>', 'only this kind')
    .option('--namespace <ns>', 'only resources of this namespace')
    .option('--cluster-namespace <ns>', 'only clusters of this namespace')
    .option('--cluster <name>', 'only clusters with this name')
    .option('--full', 'print the collected objects too')
    .action(
      async (
        o: Common & {
          group?: string;
          kind?: string;
          namespace?: string;
          clusterNamespace?: string;
          cluster?: string;
          full?: boolean;
        },
      ) => {
        parseOutput(o.output);
        await withManagement(o, async (mgmt) => {
          const rows = await queryResources(mgmt, {
            ...(o.group !== undefined ? { group: o.group } : {}),
            ...(o.kind ? { kind: o.kind } : {}),
            ...(o.namespace ? { namespace: o.namespace } : {}),
            ...(o.clusterNamespace ? { clusterNamespace: o.clusterNamespace } : {}),
            ...(o.cluster ? { cluster: o.cluster } : {}),
          });
          const out = o.full ? rows : rows.map(({ object: _object, ...r }) => r);
          return show(o.output, out, ['CLUSTER', 'GVK', 'NAMESPACE', 'NAME', 'MESSAGE'], (r) => [
            r.cluster,
            r.gvk,
            r.namespace,
            r.name,
            o.full && 'object' in r && r.object ? `${r.message}\n${r.object}` : r.message,
          ]);
        });
      },
    );

  common(cmd.command('dryrun'))
    .description('what DryRun profiles would change (from ClusterReports)')
    .option('--namespace <ns>', 'only clusters of this namespace')
    .option('--cluster <name>', 'only clusters with this name')
    .option('--profile <kind/name>', 'only ClusterProfile/<name> or Profile/<name>')
    .option('--raw-diff', 'print the full diffs instead of the table')
    .action(
      async (o: Common & { namespace?: string; cluster?: string; profile?: string; rawDiff?: boolean }) => {
        parseOutput(o.output);
        const profile = o.profile ? parseProfileRef(o.profile) : undefined;
        await withManagement(o, async (mgmt) => {
          const rows = await queryDryRun(mgmt, {
            ...(o.namespace ? { namespace: o.namespace } : {}),
            ...(o.cluster ? { cluster: o.cluster } : {}),
            ...(profile ? { profile } : {}),
          });
          if (o.rawDiff && !o.output)
            return rows
              .filter((r) => r.message)
              .map(
                (r) =>
                  `Profile: ${r.profile} Cluster: ${r.cluster}\n${r.message.endsWith('\n') ? r.message : `${r.message}\n`}`,
              )
              .join('');
          return show(
            o.output,
            rows,
            ['CLUSTER', 'RESOURCE TYPE', 'NAMESPACE', 'NAME', 'ACTION', 'MESSAGE', 'PROFILE'],
            (r) => [
              r.cluster,
              r.resourceType,
              r.namespace,
              r.name,
              r.action,
              r.action === 'Update' && r.message.includes('\n')
                ? 'use --raw-diff option to see diff'
                : r.message,
              r.profile,
            ],
          );
        });
      },
    );

  common(cmd.command('usage'))
    .description('which clusters use each profile, ConfigMap and Secret')
    .option('--kind <kind>', `only this kind (${usageKinds().join(', ')})`)
    .option('--namespace <ns>', 'only this namespace')
    .option('--name <name>', 'only this name')
    .action(async (o: Common & { kind?: string; namespace?: string; name?: string }) => {
      parseOutput(o.output);
      if (o.kind && !usageKinds().includes(o.kind))
        throw new UsageError(
          `--kind ${JSON.stringify(o.kind)} is not reported on: use one of ${usageKinds().join(', ')}`,
        );
      await withManagement(o, async (mgmt) => {
        const rows = await queryUsage(mgmt, {
          ...(o.kind ? { kind: o.kind } : {}),
          ...(o.namespace ? { namespace: o.namespace } : {}),
          ...(o.name ? { name: o.name } : {}),
        });
        return show(
          o.output,
          rows,
          ['RESOURCE KIND', 'RESOURCE NAMESPACE', 'RESOURCE NAME', 'CLUSTERS'],
          (r) => [r.kind, r.namespace, r.name, r.clusters.join('\n')],
        );
      });
    });
}

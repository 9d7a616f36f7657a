/** Printers for apps/v1 and batch/v1 kinds, after kube's pkg/printers/internalversion. */
import { humanDuration, since } from './age.js';
import { selectorToString } from './printer-selector.js';
import {
  age,
  ageColumn,
  col,
  containerCells,
  formatLabels,
  int,
  nameColumn,
  type Printer,
  printer,
} from './printer.js';
import { describe } from './swagger.js';

const APPS = 'io.k8s.api.apps.v1.';
const BATCH = 'io.k8s.api.batch.v1.';
const containersCol = () => col('Containers', 'string', 'Names of each container in the template.', 1);
const imagesCol = () => col('Images', 'string', 'Images referenced by each container in the template.', 1);

function templateCells(o: any, selector: unknown): [string, string, string] {
  const [names, images] = containerCells(o.spec?.template?.spec);
  return [names, images, selectorToString(selector)];
}

export const deploymentPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'integer', describe(`${APPS}DeploymentStatus`, 'updatedReplicas')),
    col('Available', 'integer', describe(`${APPS}DeploymentStatus`, 'availableReplicas')),
    ageColumn(),
    containersCol(),
    imagesCol(),
    col('Selector', 'string', describe(`${APPS}DeploymentSpec`, 'selector'), 1),
  ],
  (o, now) => [
    o.metadata?.name ?? '',
    `${int(o.status?.readyReplicas)}/${int(o.spec?.replicas)}`,
    int(o.status?.updatedReplicas),
    int(o.status?.availableReplicas),
    age(o, now),
    ...templateCells(o, o.spec?.selector),
  ],
);

export const replicaSetPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Desired', 'integer', describe(`${APPS}ReplicaSetSpec`, 'replicas')),
    col('Current', 'integer', describe(`${APPS}ReplicaSetStatus`, 'replicas')),
    col('Ready', 'integer', describe(`${APPS}ReplicaSetStatus`, 'readyReplicas')),
    ageColumn(),
    containersCol(),
    imagesCol(),
    col('Selector', 'string', describe(`${APPS}ReplicaSetSpec`, 'selector'), 1),
  ],
  (o, now) => [
    o.metadata?.name ?? '',
    int(o.spec?.replicas),
    int(o.status?.replicas),
    int(o.status?.readyReplicas),
    age(o, now),
    ...templateCells(o, o.spec?.selector),
  ],
);

export const statefulSetPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    ageColumn(),
    containersCol(),
    imagesCol(),
  ],
  (o, now) => {
    const [names, images] = containerCells(o.spec?.template?.spec);
    return [
      o.metadata?.name ?? '',
      `${int(o.status?.readyReplicas)}/${int(o.spec?.replicas)}`,
      age(o, now),
      names,
      images,
    ];
  },
);

export const daemonSetPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Desired', 'integer', describe(`${APPS}DaemonSetStatus`, 'desiredNumberScheduled')),
    col('Current', 'integer', describe(`${APPS}DaemonSetStatus`, 'currentNumberScheduled')),
    col('Ready', 'integer', describe(`${APPS}DaemonSetStatus`, 'numberReady')),
    col('Up-to-date', 'integer', describe(`${APPS}DaemonSetStatus`, 'updatedNumberScheduled')),
    col('Available', 'integer', describe(`${APPS}DaemonSetStatus`, 'numberAvailable')),
    col('Node Selector', 'string', describe('io.k8s.api.core.v1.PodSpec', 'nodeSelector')),
    ageColumn(),
    containersCol(),
    imagesCol(),
    col('Selector', 'string', describe(`${APPS}DaemonSetSpec`, 'selector'), 1),
  ],
  (o, now) => [
    o.metadata?.name ?? '',
    int(o.status?.desiredNumberScheduled),
    int(o.status?.currentNumberScheduled),
    int(o.status?.numberReady),
    int(o.status?.updatedNumberScheduled),
    int(o.status?.numberAvailable),
    formatLabels(o.spec?.template?.spec?.nodeSelector),
    age(o, now),
    ...templateCells(o, o.spec?.selector),
  ],
);

function hasCondition(o: any, type: string): boolean {
  return (o.status?.conditions ?? []).some((c: any) => c?.type === type && c?.status === 'True');
}

function jobStatus(o: any): string {
  if (hasCondition(o, 'Complete')) return 'Complete';
  if (hasCondition(o, 'Failed')) return 'Failed';
  if (o.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(o, 'Suspended')) return 'Suspended';
  if (hasCondition(o, 'FailureTarget')) return 'FailureTarget';
  if (hasCondition(o, 'SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  return 'Running';
}

function jobCompletions(o: any): string {
  const succeeded = int(o.status?.succeeded);
  const completions = o.spec?.completions;
  const parallelism = o.spec?.parallelism;
  if (typeof completions === 'number') return `${succeeded}/${completions}`;
  if (typeof parallelism !== 'number') return `${succeeded}/1`;
  if (parallelism > 1) return `${succeeded}/1 of ${parallelism}`;
  return `${succeeded}/1`;
}

function jobDuration(o: any, now: Date): string {
  const start = Date.parse(o.status?.startTime ?? '');
  if (Number.isNaN(start)) return '';
  const end = Date.parse(o.status?.completionTime ?? '');
  return humanDuration((Number.isNaN(end) ? now.getTime() : end) - start);
}

export const jobPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', describe(`${BATCH}JobStatus`, 'succeeded')),
    col('Duration', 'string', 'Time required to complete the job.'),
    ageColumn(),
    containersCol(),
    imagesCol(),
    col('Selector', 'string', describe(`${BATCH}JobSpec`, 'selector'), 1),
  ],
  (o, now) => [
    o.metadata?.name ?? '',
    jobStatus(o),
    jobCompletions(o),
    jobDuration(o, now),
    age(o, now),
    ...templateCells(o, o.spec?.selector),
  ],
);

export const cronJobPrinter: Printer = printer(
  () => [
    nameColumn(),
    col('Schedule', 'string', describe(`${BATCH}CronJobSpec`, 'schedule')),
    col('Timezone', 'string', describe(`${BATCH}CronJobSpec`, 'timeZone')),
    col('Suspend', 'boolean', describe(`${BATCH}CronJobSpec`, 'suspend')),
    col('Active', 'integer', describe(`${BATCH}CronJobStatus`, 'active')),
    col('Last Schedule', 'string', describe(`${BATCH}CronJobStatus`, 'lastScheduleTime')),
    ageColumn(),
    containersCol(),
    imagesCol(),
    col('Selector', 'string', describe(`${BATCH}JobSpec`, 'selector'), 1),
  ],
  (o, now) => {
    const jobSpec = o.spec?.jobTemplate?.spec;
    const [names, images] = containerCells(jobSpec?.template?.spec);
    const suspend = o.spec?.suspend;
    return [
      o.metadata?.name ?? '',
      o.spec?.schedule ?? '',
      o.spec?.timeZone ?? '<none>',
      typeof suspend === 'boolean' ? (suspend ? 'True' : 'False') : '<unset>',
      (o.status?.active ?? []).length,
      o.status?.lastScheduleTime ? since(o.status.lastScheduleTime, now) : '<none>',
      age(o, now),
      names,
      images,
      selectorToString(jobSpec?.selector),
    ];
  },
);

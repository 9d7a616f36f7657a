// The in-process management plane of the seed 003 tests: the add-on controllers (addon-harness),
// the event controllers and one agentless agent per cluster with the NATS module, wired exactly as
// `flotilla up --nats` wires them (src/main/fleet/events.ts). Stoppable and restartable as a whole
// (a process restart: nothing in memory survives, a new sink, new agents, new controllers).
import { Writable } from 'node:stream';
import { Registry } from 'prom-client';
import { createAgent } from '../../src/agent/index.js';
import { createEventControllers } from '../../src/controllers/event/module.js';
import { systemClock } from '../../src/lib/clock.js';
import { AgentlessEvents } from '../../src/main/fleet/events.js';
import { createLogger, InformerFactory, type Runnable } from '../../src/runtime/index.js';
import { FLEET_NS, type Fleet } from './addon-harness.js';

export class Seed003Plane {
  /** The agents' metrics of the current run (a restart starts from zero, like a process). */
  registry = new Registry();
  /** Everything the agents and event controllers logged (all runs). */
  logText = '';
  private run: { ac: AbortController; runs: Promise<void>[] } | undefined;

  constructor(
    private readonly fleet: Fleet,
    private readonly clusters: readonly string[],
  ) {}

  async start(): Promise<void> {
    if (this.run) return;
    this.fleet.startControllers();
    const logger = createLogger({
      level: 'debug',
      destination: new Writable({
        write: (chunk, _enc, cb) => {
          this.logText += String(chunk);
          cb();
        },
      }) as never,
    });
    this.registry = new Registry();
    const events = new AgentlessEvents({ nats: true });
    const informers = new InformerFactory({ logger, informer: { backoffBaseMs: 20 } });
    const runnables: Runnable[] = [
      informers,
      ...createEventControllers(
        {
          options: { needLeaderElection: false },
          mgmt: this.fleet.mgmt,
          informers,
          logger,
          clock: systemClock,
        },
        { sink: events.sink },
      ).map((c) => c.runnable),
    ];
    for (const name of this.clusters)
      runnables.push(
        createAgent({
          client: await this.fleet.client(name),
          clusterName: name,
          clusterNamespace: FLEET_NS,
          clusterType: 'Sveltos',
          logger: logger.child({ cluster: name }),
          registry: this.registry,
          modules: events.agentModules(this.fleet.mgmt),
        }),
      );
    const ac = new AbortController();
    this.run = { ac, runs: runnables.map((r) => r.start(ac.signal)) };
  }

  /** Stops the agents, the event controllers and the add-on controllers. */
  async stop(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    if (run) {
      run.ac.abort();
      await Promise.allSettled(run.runs);
    }
    await this.fleet.stopControllers();
  }

  /** `flotilla_agent_cloudevents_total` of this run for a cluster and result. */
  async cloudEvents(cluster: string, result: string): Promise<number> {
    const metric = await this.registry.getSingleMetric('flotilla_agent_cloudevents_total')?.get();
    return metric?.values.find((v) => v.labels.cluster === cluster && v.labels.result === result)?.value ?? 0;
  }
}

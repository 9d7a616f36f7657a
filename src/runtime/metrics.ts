import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface QueueGauges {
  depth(): number;
  inFlight(): number;
}

/** The runtime's Prometheus metrics on one registry, labelled by controller. */
export class RuntimeMetrics {
  readonly reconciles: Counter<'controller' | 'result'>;
  readonly reconcileErrors: Counter<'controller'>;
  readonly reconcileDuration: Histogram<'controller'>;
  readonly queueAdds: Counter<'controller'>;
  readonly queueRetries: Counter<'controller'>;
  readonly queueLatency: Histogram<'controller'>;
  private readonly queues = new Map<string, QueueGauges>();

  private constructor(registry: Registry) {
    const registers = [registry];
    const buckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    this.reconciles = new Counter({
      name: 'flotilla_reconcile_total',
      help: 'Reconciles by controller and outcome (done, requeue_after, retry, terminal).',
      labelNames: ['controller', 'result'],
      registers,
    });
    this.reconcileErrors = new Counter({
      name: 'flotilla_reconcile_errors_total',
      help: 'Reconciles that ended in retry or terminal.',
      labelNames: ['controller'],
      registers,
    });
    this.reconcileDuration = new Histogram({
      name: 'flotilla_reconcile_duration_seconds',
      help: 'Time spent in reconcile.',
      labelNames: ['controller'],
      buckets,
      registers,
    });
    this.queueAdds = new Counter({
      name: 'flotilla_workqueue_adds_total',
      help: 'Keys added to the work queue.',
      labelNames: ['controller'],
      registers,
    });
    this.queueRetries = new Counter({
      name: 'flotilla_workqueue_retries_total',
      help: 'Rate-limited re-adds (retries).',
      labelNames: ['controller'],
      registers,
    });
    this.queueLatency = new Histogram({
      name: 'flotilla_workqueue_queue_duration_seconds',
      help: 'Time a key waited in the queue before a worker took it.',
      labelNames: ['controller'],
      buckets,
      registers,
    });
    const queues = this.queues;
    new Gauge({
      name: 'flotilla_workqueue_depth',
      help: 'Keys waiting in the work queue.',
      labelNames: ['controller'],
      registers,
      collect() {
        this.reset();
        for (const [name, q] of queues) this.set({ controller: name }, q.depth());
      },
    });
    new Gauge({
      name: 'flotilla_controller_active_workers',
      help: 'Workers currently reconciling.',
      labelNames: ['controller'],
      registers,
      collect() {
        this.reset();
        for (const [name, q] of queues) this.set({ controller: name }, q.inFlight());
      },
    });
  }

  private static readonly byRegistry = new WeakMap<Registry, RuntimeMetrics>();

  /** The metrics of `registry`, registered on first use (metric names are unique per registry). */
  static for(registry: Registry): RuntimeMetrics {
    let m = RuntimeMetrics.byRegistry.get(registry);
    if (!m) {
      m = new RuntimeMetrics(registry);
      RuntimeMetrics.byRegistry.set(registry, m);
    }
    return m;
  }

  trackQueue(controller: string, q: QueueGauges): () => void {
    this.queues.set(controller, q);
    return () => {
      if (this.queues.get(controller) === q) this.queues.delete(controller);
    };
  }
}

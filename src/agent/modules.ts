import type { AgentModule } from './context.js';
import { driftModule } from './drift/index.js';
import { eventsModule } from './events/index.js';

/**
 * The modules every agent runs unless told otherwise. New capabilities (EventSource evaluation in
 * `events/`) add their module here.
 */
export function defaultAgentModules(): AgentModule[] {
  return [driftModule(), eventsModule()];
}

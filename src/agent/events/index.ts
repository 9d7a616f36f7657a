/** EventSource evaluation and EventReports (agent half of the event framework). */
export { ensureEventCrds } from './crds.js';
export { type EventEvaluatorOptions, EventSourceEvaluator } from './evaluator.js';
export {
  type AgentlessEventsOptions,
  agentlessEventsModule,
  type EventsModuleOptions,
  eventsModule,
  reportTargetOf,
} from './module.js';
export {
  type ClusterRef,
  decodeResources,
  EVENT_REPORT_KIND,
  EVENT_SOURCE_KIND,
  encodeResources,
  goJson,
  matchingRef,
  type ReportPlacement,
  reportLabels,
  reportLocation,
  reportSpec,
  reportUpToDate,
} from './report.js';
export {
  apiVersionOf,
  type CompiledEventSource,
  type CompiledSelector,
  compileEventSource,
  EventSourceError,
  type Evaluation,
  evaluateEventSource,
  type ObjectsOf,
  passesStatic,
  refKey,
  type WatchedType,
} from './select.js';
export { ClusterEventSources, type EventSourceProvider, StaticEventSources } from './sources.js';
export {
  appendCloudEvent,
  EVENTS_FIELD_MANAGER,
  type ReportTarget,
  ReportWriter,
  type WriteResult,
} from './writer.js';
export { type CollectorOptions, collectorClusterId, EventReportCollector } from './collector.js';
export {
  ManagementEventSources,
  type ManagementSourcesOptions,
  triggerSelectsCluster,
} from './management-sources.js';

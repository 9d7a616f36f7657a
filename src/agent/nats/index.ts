export { eventKey, type ParseResult, parseCloudEvent, type ReceivedCloudEvent } from './cloud-event.js';
export {
  type CoreNatsConfig,
  configHash,
  type JetStreamConfig,
  NATS_SECRET_KEY,
  NATS_SECRET_NAME,
  type NatsAuth,
  type NatsConfig,
  NatsConfigError,
  parseNatsConfig,
  type StreamConfig,
  secretConfigText,
} from './config.js';
export { connectionOptions } from './connection.js';
export {
  criteriaMatches,
  type EventSourceCriteria,
  firstMatch,
  type MatchInput,
  matchingEventSources,
  subjectMatches,
} from './match.js';
export { NatsAgentModule, type NatsModuleEvents, type NatsModuleOptions, natsModule } from './module.js';
export {
  type CloudEventSink,
  decodeCloudEvents,
  EventReportSink,
  encodeCloudEvent,
  type RecordResult,
} from './report-sink.js';
export { type Disposition, NatsWatcher, type WatcherOptions } from './watcher.js';

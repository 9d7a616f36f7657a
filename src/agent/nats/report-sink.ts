/**
 * Where matching CloudEvents go: appended to `spec.cloudEvents` of the EventSource's EventReport
 * (API.md §7.3) through `appendCloudEvent` of `src/agent/events/` (same placement and naming as
 * the evaluator's reports). This layer adds idempotency: a redelivery of a CloudEvent (same `id`
 * + `source` and the same content) already in the report, or recorded last by this process for
 * that identity, is not appended again. Same identity with other content is a new event: seed 003
 * publishes login and logout both as id 10001.
 */
import { type EventReport, LIB_API_VERSION } from '../../api/index.js';
import { isConflict, isNotFound, type KubeObject, type ObjectRef } from '../../kube/index.js';
import { appendCloudEvent, EVENT_REPORT_KIND, type ReportTarget, reportLocation } from '../events/index.js';
import { eventKey, type ReceivedCloudEvent } from './cloud-event.js';

export type RecordResult = 'recorded' | 'duplicate';

/** Appends a CloudEvent to an EventSource's report. Resolves once stored; idempotent on (id, source). */
export interface CloudEventSink {
  record(eventSource: string, event: ReceivedCloudEvent, signal?: AbortSignal): Promise<RecordResult>;
}

/** Go `[]byte` in JSON: each CloudEvent is base64 of its JSON. */
export function encodeCloudEvent(json: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(json), 'utf8').toString('base64');
}

/** The CloudEvents of a report (undecodable entries are skipped). */
export function decodeCloudEvents(entries: readonly string[] | undefined): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const e of entries ?? []) {
    try {
      out.push(JSON.parse(Buffer.from(e, 'base64').toString('utf8')) as Record<string, unknown>);
    } catch {
      // Not ours to fix: someone else wrote it.
    }
  }
  return out;
}

/** What a redelivery has in common with the original: the event as published. */
function fingerprint(json: Record<string, unknown>): string {
  return JSON.stringify(json);
}

/** Identity → fingerprint of the last event of that identity in the report. */
function lastByKey(report: EventReport | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const j of decodeCloudEvents(report?.spec?.cloudEvents))
    out.set(eventKey({ id: String(j.id), source: String(j.source) }), fingerprint(j));
  return out;
}

/**
 * Records into the report of the agent's placement. Duplicates are detected in the stored report
 * and, after the management plane cleared `spec.cloudEvents` on collection, in a bounded
 * in-memory map of the last content per identity (a restart forgets it: JetStream's ack makes
 * redelivery after that rare, and a re-recorded Create is idempotent downstream).
 */
export class EventReportSink implements CloudEventSink {
  /** Per EventSource: identity → fingerprint of the last event recorded with it. */
  private readonly seen = new Map<string, Map<string, string>>();

  constructor(
    private readonly target: ReportTarget,
    private readonly rememberKeys = 10_000,
  ) {}

  async record(eventSource: string, event: ReceivedCloudEvent, signal?: AbortSignal): Promise<RecordResult> {
    const key = eventKey(event);
    const fp = fingerprint(event.json);
    if (this.seen.get(eventSource)?.get(key) === fp) return 'duplicate';
    const loc = reportLocation(this.target.placement, eventSource, this.target.cluster);
    const ref: ObjectRef = { apiVersion: LIB_API_VERSION, kind: EVENT_REPORT_KIND, ...loc };
    let stored: EventReport | undefined;
    try {
      stored = await this.target.client.get<EventReport & KubeObject>(ref, signal ? { signal } : {});
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    if (lastByKey(stored).get(key) === fp) {
      this.remember(eventSource, key, fp);
      return 'duplicate';
    }
    await appendCloudEvent(this.target, eventSource, event.json, signal);
    this.remember(eventSource, key, fp);
    // Only managed copies are collected; the management copy is read by watch as it is.
    if (this.target.placement.kind === 'managed') await this.markWaiting(ref, signal);
    return 'recorded';
  }

  /**
   * Collection (push placement) skips reports already `Processed`: a new CloudEvent makes the
   * managed copy pending again.
   * Best effort: the event is stored, and a conflict means another writer (the evaluator) is on it.
   */
  private async markWaiting(ref: ObjectRef, signal?: AbortSignal): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const report = await this.target.client.get<EventReport & KubeObject>(ref, signal ? { signal } : {});
        if (report.status?.phase === 'WaitingForDelivery') return;
        report.status = { ...(report.status ?? {}), phase: 'WaitingForDelivery' };
        await this.target.client.updateStatus(report, signal ? { signal } : {});
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err)) throw err;
      }
    }
  }

  private remember(eventSource: string, key: string, fp: string): void {
    let seen = this.seen.get(eventSource);
    if (!seen) {
      seen = new Map();
      this.seen.set(eventSource, seen);
    }
    seen.delete(key); // re-inserted last: eviction drops the least recently recorded identity
    seen.set(key, fp);
    if (seen.size > this.rememberKeys) {
      const oldest = seen.keys().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
  }
}

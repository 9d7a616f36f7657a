/**
 * Structured-mode JSON CloudEvents from NATS message bodies, validated with the `cloudevents` SDK.
 */
import { CloudEvent, ValidationError } from 'cloudevents';

/** A validated CloudEvent and the JSON it arrived as (recorded unchanged in the EventReport). */
export interface ReceivedCloudEvent {
  id: string;
  source: string;
  type: string;
  /** The CloudEvent `subject` attribute ('' when absent). */
  subject: string;
  /** The event's JSON object as published (the SDK would add `time`; we keep what was sent). */
  json: Record<string, unknown>;
}

export type ParseResult = { ok: true; event: ReceivedCloudEvent } | { ok: false; reason: string };

const REQUIRED = ['specversion', 'id', 'source', 'type'] as const;

/**
 * Parses a message body as a structured-mode JSON CloudEvent. A body that is not JSON, misses a
 * required attribute, fails the SDK's validation, or declares a non-JSON `datacontenttype` is
 * rejected with the reason (Sveltos drops non-JSON content; a missing datacontenttype means JSON).
 */
export function parseCloudEvent(body: Uint8Array): ParseResult {
  let parsed: unknown;
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return {
      ok: false,
      reason: `body is not JSON (${(err as Error).message}); expected a structured-mode CloudEvent`,
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'body is JSON but not an object; expected a structured-mode CloudEvent' };
  }
  const json = parsed as Record<string, unknown>;
  for (const attr of REQUIRED) {
    if (typeof json[attr] !== 'string' || json[attr] === '') {
      return { ok: false, reason: `CloudEvent attribute "${attr}" is missing or not a non-empty string` };
    }
  }
  if (json.specversion !== '1.0' && json.specversion !== '0.3') {
    return {
      ok: false,
      reason: `invalid CloudEvent: specversion ${JSON.stringify(json.specversion)} is not 1.0 or 0.3`,
    };
  }
  const contentType = json.datacontenttype;
  if (contentType !== undefined && (typeof contentType !== 'string' || !contentType.includes('json'))) {
    return {
      ok: false,
      reason: `datacontenttype ${JSON.stringify(contentType)} is not JSON; only application/json CloudEvents are handled`,
    };
  }
  try {
    const ce = new CloudEvent(json as ConstructorParameters<typeof CloudEvent>[0], true);
    return {
      ok: true,
      event: { id: ce.id, source: ce.source, type: ce.type, subject: ce.subject ?? '', json },
    };
  } catch (err) {
    if (err instanceof ValidationError) {
      const details = (err.errors ?? [])
        .map((e) =>
          typeof e === 'string'
            ? e
            : `${(e as { instancePath?: string }).instancePath ?? ''} ${(e as { message?: string }).message ?? ''}`.trim(),
        )
        .join('; ');
      return { ok: false, reason: `invalid CloudEvent: ${err.message}${details ? ` (${details})` : ''}` };
    }
    return { ok: false, reason: `invalid CloudEvent: ${(err as Error).message}` };
  }
}

/** The identity used for de-duplication (CloudEvents spec: `id` is unique per `source`). */
export function eventKey(e: { id: string; source: string }): string {
  return JSON.stringify([e.source, e.id]);
}

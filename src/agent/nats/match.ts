/**
 * CloudEvent ↔ EventSource matching (API.md §4.3, §7.6). Pure.
 */
import type { MessagingMatchCriteria } from '../../api/generated/event-source.js';

/** What a criteria entry is compared with. */
export interface MatchInput {
  /** The NATS subject the message arrived on. */
  natsSubject: string;
  source: string;
  type: string;
  /** The CloudEvent `subject` attribute ('' when absent). */
  subject: string;
}

export interface EventSourceCriteria {
  name: string;
  criteria: readonly MessagingMatchCriteria[];
}

const regexCache = new Map<string, RegExp | null>();

/** Go `regexp.MatchString`: unanchored search. Invalid patterns compile to null (no match). */
function compile(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null;
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

function fieldMatches(pattern: string | undefined, value: string): boolean {
  if (pattern === undefined || pattern === '') return true;
  const re = compile(pattern);
  return re?.test(value) ?? false;
}

/** Whether one criteria entry matches: all four fields (each empty = any). */
export function criteriaMatches(c: MessagingMatchCriteria, e: MatchInput): boolean {
  return (
    fieldMatches(c.subject, e.natsSubject) &&
    fieldMatches(c.cloudEventSource, e.source) &&
    fieldMatches(c.cloudEventType, e.type) &&
    fieldMatches(c.cloudEventSubject, e.subject)
  );
}

/** Index of the first fully matching entry, or -1. */
export function firstMatch(criteria: readonly MessagingMatchCriteria[], e: MatchInput): number {
  return criteria.findIndex((c) => criteriaMatches(c, e));
}

/** The EventSources (by name) with a criteria entry matching the event, in input order. */
export function matchingEventSources(sources: readonly EventSourceCriteria[], e: MatchInput): string[] {
  return sources.filter((s) => s.criteria.length > 0 && firstMatch(s.criteria, e) >= 0).map((s) => s.name);
}

/** NATS subject wildcard match (`*` one token, `>` the rest). */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (f[i] !== '*' && f[i] !== s[i]) return false;
  }
  return f.length === s.length;
}

import { randomBytes } from 'node:crypto';
import type { NameRule } from '../catalog/builtin.js';
import type { FieldError } from '../contracts.js';

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** Checks an object or namespace name the way kube-apiserver does for the given rule. */
export function nameErrors(name: string, rule: NameRule, field = 'metadata.name'): FieldError[] {
  const invalid = (detail: string): FieldError[] => [
    { type: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(name)}: ${detail}` },
  ];
  if (rule === 'path') {
    if (name === '.' || name === '..') return invalid(`may not be '${name}'`);
    if (name.includes('/')) return invalid("may not contain '/'");
    if (name.includes('%')) return invalid("may not contain '%'");
    return [];
  }
  const max = rule === 'subdomain' ? 253 : 63;
  if (name.length > max) return invalid(`must be no more than ${max} characters`);
  if (rule === 'subdomain' && !SUBDOMAIN.test(name)) return invalid(SUBDOMAIN_MSG);
  if (rule === 'label' && !LABEL.test(name)) return invalid(LABEL_MSG);
  if (rule === 'dns1035' && !DNS1035.test(name)) return invalid(DNS1035_MSG);
  return [];
}

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** kube's generateName suffix: 5 characters from a consonant/digit alphabet. */
export function generateName(prefix: string): string {
  const bytes = randomBytes(5);
  let s = '';
  for (const b of bytes) s += ALPHANUMS[b % ALPHANUMS.length];
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  return base + s;
}

/** A random RFC 4122 v4 uid. */
export function newUid(): string {
  return crypto.randomUUID();
}

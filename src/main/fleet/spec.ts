/**
 * Parsing and validation of what users type about clusters: `--cluster NAME[,key=value...]` and
 * `--labels key=value,...`. Pure; every failure is a UsageError saying what to type instead.
 */
import { UsageError } from '../../lib/errors.js';

/** A cluster of the local fleet: its name and its labels. */
export interface ClusterSpec {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The management cluster's own name: never a managed cluster of `flotilla up`. */
export const MGMT = 'mgmt';

/** What `flotilla up` starts on a fresh state directory when no `--cluster` is given. */
export const DEFAULT_CLUSTERS: readonly ClusterSpec[] = [
  { name: 'cluster-a', labels: { env: 'production' } },
  { name: 'cluster-b', labels: { env: 'staging' } },
];

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-_.A-Za-z0-9]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Checks a cluster name (a DNS-1123 label: it names a virtual cluster, a file and an object). */
export function checkClusterName(name: string, where: string): string {
  if (name === '') throw new UsageError(`${where}: the cluster name is empty; give a name such as edge-1`);
  if (name.length > 63 || !DNS_LABEL.test(name))
    throw new UsageError(
      `${where}: invalid cluster name ${JSON.stringify(name)}: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`,
    );
  if (name === MGMT)
    throw new UsageError(`${where}: "${MGMT}" is the management cluster's name; pick another name`);
  return name;
}

/** Checks a label key (`[prefix/]name`) and value as Kubernetes does. */
export function checkLabel(key: string, value: string, where: string): void {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  const badKey =
    name.length === 0 ||
    name.length > 63 ||
    !LABEL_NAME.test(name) ||
    (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix)));
  if (badKey)
    throw new UsageError(
      `${where}: invalid label key ${JSON.stringify(key)}: use [prefix/]name with a name of at most 63 letters, digits, '-', '_' or '.'`,
    );
  if (value.length > 63 || (value !== '' && !LABEL_NAME.test(value)))
    throw new UsageError(
      `${where}: invalid value ${JSON.stringify(value)} of label ${key}: use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    );
}

/** Parses `k=v,k2=v2` (empty: no labels). */
export function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  if (text.trim() === '') return labels;
  for (const part of text.split(',')) addLabel(labels, part, where);
  return labels;
}

function addLabel(labels: Record<string, string>, part: string, where: string): void {
  const eq = part.indexOf('=');
  if (eq < 0)
    throw new UsageError(
      `${where}: ${JSON.stringify(part)} is not key=value; write labels as env=prod,team=a`,
    );
  const key = part.slice(0, eq).trim();
  const value = part.slice(eq + 1).trim();
  checkLabel(key, value, where);
  if (key in labels) throw new UsageError(`${where}: label ${key} is given twice; keep one`);
  labels[key] = value;
}

/** Parses one `--cluster NAME[,key=value...]`. */
export function parseClusterFlag(text: string): ClusterSpec {
  const where = `--cluster ${JSON.stringify(text)}`;
  const [name, ...rest] = text.split(',');
  checkClusterName(name.trim(), where);
  const labels: Record<string, string> = {};
  for (const part of rest) addLabel(labels, part, where);
  return { name: name.trim(), labels };
}

/** Parses every `--cluster` flag; a name given twice is an error. */
export function parseClusterFlags(flags: readonly string[]): ClusterSpec[] {
  const specs = flags.map(parseClusterFlag);
  const seen = new Set<string>();
  for (const s of specs) {
    if (seen.has(s.name)) throw new UsageError(`--cluster ${s.name} is given twice; give each cluster once`);
    seen.add(s.name);
  }
  return specs;
}

/** Parses a TCP port flag (0: a free one). */
export function parsePort(text: string, flag: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`${flag} must be an integer between 0 and 65535, got ${JSON.stringify(text)}`);
  return port;
}

/** `env=production,team=a`, for progress lines. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

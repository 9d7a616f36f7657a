/**
 * The state directory of `flotilla up`: the API server's SQLite database and kubeconfigs (written
 * by the server), `up.json` (the port of the last run, so kubeconfigs stay valid across restarts),
 * `up.pid` (one `up` per directory) and `flotilla.log` (the controllers' JSON log).
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FlotillaError, UsageError } from '../../lib/errors.js';

/** Default `--state`: a folder in the current directory, like `.git`. */
export const DEFAULT_STATE_DIR = '.flotilla';

export interface StatePaths {
  readonly dir: string;
  readonly database: string;
  readonly upJson: string;
  readonly pidFile: string;
  readonly log: string;
  kubeconfig(cluster: string): string;
}

export function statePaths(dir: string | undefined): StatePaths {
  const abs = resolve(dir ?? DEFAULT_STATE_DIR);
  return {
    dir: abs,
    database: join(abs, 'apiserver.db'),
    upJson: join(abs, 'up.json'),
    pidFile: join(abs, 'up.pid'),
    log: join(abs, 'flotilla.log'),
    kubeconfig: (cluster) => join(abs, `${cluster}.kubeconfig`),
  };
}

/**
 * Checks, creating nothing, that `dir` can be a state directory: it is a writable directory, or
 * its nearest existing parent is one (so it can be created). Bad input is a UsageError (exit 2).
 */
export function checkStateDir(dir: string, flag = '--state'): void {
  let p = resolve(dir);
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  if (!statSync(p).isDirectory())
    throw new UsageError(`${flag} ${dir}: ${p} is a file, not a directory; pick a directory`);
  try {
    accessSync(p, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`${flag} ${dir}: ${p} is not writable; pick a directory you can write to`);
  }
}

/** What one run leaves for the next. */
export interface UpRecord {
  port?: number;
  /** Size and mtime of the CRDs file last installed: unchanged, the install is skipped. */
  crds?: string;
}

export function readUpRecord(p: StatePaths): UpRecord {
  if (!existsSync(p.upJson)) return {};
  try {
    const v = JSON.parse(readFileSync(p.upJson, 'utf8')) as UpRecord;
    return {
      ...(typeof v.port === 'number' ? { port: v.port } : {}),
      ...(typeof v.crds === 'string' ? { crds: v.crds } : {}),
    };
  } catch {
    return {};
  }
}

export function writeUpRecord(p: StatePaths, rec: UpRecord): void {
  const tmp = `${p.upJson}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(rec)}\n`);
  renameSync(tmp, p.upJson);
}

/** Whether the directory holds no fleet yet (no database). */
export function isFresh(p: StatePaths): boolean {
  return !existsSync(p.database);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the `flotilla up` serving this directory, if one runs. */
export function runningPid(p: StatePaths): number | undefined {
  try {
    const pid = Number(readFileSync(p.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Claims the directory for this process; returns the release function. */
export function lockState(p: StatePaths): () => void {
  try {
    mkdirSync(p.dir, { recursive: true });
  } catch (err) {
    throw new UsageError(
      `--state ${p.dir}: cannot create the directory (${(err as Error).message}); pick another`,
    );
  }
  const other = runningPid(p);
  if (other !== undefined && other !== process.pid)
    throw new FlotillaError(
      'state-locked',
      `flotilla up already runs on ${p.dir} (pid ${other}): stop it (Ctrl-C) or use another --state`,
    );
  writeFileSync(p.pidFile, `${process.pid}\n`);
  return () => {
    if (runningPid(p) === process.pid) rmSync(p.pidFile, { force: true });
  };
}

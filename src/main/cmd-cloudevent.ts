import { readFileSync } from 'node:fs';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { Command } from 'commander';
import { parseCloudEvent, type ReceivedCloudEvent } from '../agent/nats/index.js';
import { FlotillaError, UsageError } from '../lib/errors.js';
import { registerCommand } from './registry.js';

interface PublishFlags {
  server?: string;
  user?: string;
  password?: string;
  subject?: string;
  jetstream: boolean;
  timeout: string;
}

/** Reads the event from a file or, for `-`, from stdin. */
function readEvent(file: string): Uint8Array {
  try {
    return readFileSync(file === '-' ? 0 : file);
  } catch (e) {
    const where = file === '-' ? 'stdin' : file;
    throw new UsageError(`cannot read the CloudEvent from ${where}: ${(e as Error).message}`);
  }
}

/** Checks the flags and the event; every problem is a UsageError (exit 2) before connecting. */
export function checkPublish(
  file: string,
  o: PublishFlags,
): { servers: string[]; subject: string; event: ReceivedCloudEvent; body: Uint8Array; timeoutMs: number } {
  if (!o.server)
    throw new UsageError(
      '--server URL is required: the NATS server to publish to, e.g. nats://127.0.0.1:4222',
    );
  const servers = o.server.split(',').map((s) => s.trim());
  for (const s of servers)
    if (!/^(nats|tls|ws|wss):\/\/[^\s/]+$|^[^\s/:]+:\d+$/.test(s))
      throw new UsageError(`--server ${JSON.stringify(s)} is not a NATS URL: write nats://HOST:PORT`);
  if (!o.subject)
    throw new UsageError('--subject S is required: the NATS subject to publish on, e.g. user-operation');
  if (!/^[^\s*>]+$/.test(o.subject) || o.subject.split('.').some((t) => t === ''))
    throw new UsageError(
      `--subject ${JSON.stringify(o.subject)} is not a publish subject: use dot-separated tokens without spaces or wildcards`,
    );
  if ((o.user === undefined) !== (o.password === undefined))
    throw new UsageError('--user and --password go together: pass both or neither');
  const secs = /^\d+$/.test(o.timeout) ? Number(o.timeout) : Number.NaN;
  if (!(secs >= 1 && secs <= 600))
    throw new UsageError(
      `--timeout must be a whole number of seconds between 1 and 600, got ${JSON.stringify(o.timeout)}`,
    );
  const body = readEvent(file);
  const parsed = parseCloudEvent(body);
  const where = file === '-' ? 'stdin' : file;
  if (!parsed.ok) throw new UsageError(`${where}: ${parsed.reason}; fix the event and publish again`);
  return { servers, subject: o.subject, event: parsed.event, body, timeoutMs: secs * 1000 };
}

async function publish(file: string, o: PublishFlags): Promise<string> {
  const p = checkPublish(file, o);
  let nc: Awaited<ReturnType<typeof connect>>;
  try {
    nc = await connect({
      servers: p.servers,
      name: 'flotilla cloudevent publish',
      timeout: p.timeoutMs,
      ...(o.user !== undefined ? { user: o.user, pass: o.password ?? '' } : {}),
    });
  } catch (e) {
    throw new FlotillaError(
      'nats.connect',
      `cannot connect to NATS at ${o.server}: ${(e as Error).message}; check --server, --user and --password`,
    );
  }
  try {
    if (o.jetstream) {
      try {
        const ack = await jetstream(nc, { timeout: p.timeoutMs }).publish(p.subject, p.body);
        return `published CloudEvent ${p.event.id} (type ${p.event.type}) to stream ${ack.stream} sequence ${ack.seq}\n`;
      } catch (e) {
        throw new FlotillaError(
          'nats.publish',
          `JetStream did not acknowledge subject ${p.subject}: ${(e as Error).message}; is there a stream whose subjects include it?`,
        );
      }
    }
    nc.publish(p.subject, p.body);
    await nc.flush();
    return `published CloudEvent ${p.event.id} (type ${p.event.type}) on subject ${p.subject}\n`;
  } finally {
    await nc.close();
  }
}

registerCommand((program: Command) => {
  program
    .command('cloudevent')
    .description('work with CloudEvents on NATS')
    .command('publish')
    .argument('<file>', 'the CloudEvent as structured-mode JSON, or - for stdin')
    .description(
      'validate a CloudEvent and publish it on a NATS subject (core NATS, or JetStream with --jetstream)',
    )
    .option('--server <url>', 'NATS server URL(s), comma-separated, e.g. nats://127.0.0.1:4222')
    .option('--user <user>', 'NATS user')
    .option('--password <password>', 'NATS password')
    .option('--subject <subject>', 'subject to publish on')
    .option('--jetstream', 'publish through JetStream and wait for the stream to acknowledge', false)
    .option('--timeout <seconds>', 'how long to wait for the server', '10')
    .action(async (file: string, o: PublishFlags) => {
      process.stdout.write(await publish(file, o));
    });
});

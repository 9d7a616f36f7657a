import {
  type DestinationStream,
  type LevelWithSilent,
  type LoggerOptions as PinoOptions,
  type Logger as PinoLogger,
  pino,
} from 'pino';

export type Logger = PinoLogger;

/**
 * Paths that may carry credentials in anything we log: tokens, kubeconfigs, Secret data, auth
 * headers, TLS keys. Redacted at any depth the paths name.
 */
export const redactPaths = [
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  'password',
  '*.password',
  'kubeconfig',
  '*.kubeconfig',
  'key',
  '*.key',
  'keyData',
  '*.keyData',
  'data',
  '*.data',
  'stringData',
  '*.stringData',
];

export interface LoggerOptions {
  level?: LevelWithSilent;
  name?: string;
  /** Where to write (default stdout); tests pass a stream to capture lines. */
  destination?: DestinationStream;
}

/** The process logger: JSON lines with credentials redacted. Use `.child({controller})` per component. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const options: PinoOptions = {
    level: opts.level ?? 'info',
    redact: { paths: redactPaths, censor: '[redacted]' },
    ...(opts.name ? { name: opts.name } : {}),
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** A logger that drops everything: the default of components built without one. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

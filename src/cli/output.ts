import { stringify } from 'yaml';
import { UsageError } from '../lib/errors.js';

export type OutputFormat = 'table' | 'json' | 'yaml';

/** Parses `-o`: table (default), json or yaml. */
export function parseOutput(text: string | undefined): OutputFormat {
  const v = text ?? 'table';
  if (v === 'table' || v === 'json' || v === 'yaml') return v;
  throw new UsageError(
    `-o ${JSON.stringify(v)} is not an output format: use -o json, -o yaml or leave it out for a table`,
  );
}

/** Data as JSON (indented, trailing newline) or YAML. */
export function renderData(format: 'json' | 'yaml', data: unknown): string {
  return format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : stringify(data);
}

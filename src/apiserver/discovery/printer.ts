/** The shape of a server-side printer (one per built-in kind), and helpers shared by them. */
import { since } from './age.js';
import { describe, OBJECT_META } from './swagger.js';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface Printer {
  /** Column definitions; computed once (descriptions come from the swagger). */
  columns(): ColumnDefinition[];
  /** One row's cells, wide (every column, whatever its priority), as kube-apiserver prints. */
  cells(obj: any, now: Date): unknown[];
  /** Row conditions (`Completed` for finished pods), when the kind has any. */
  conditions?(obj: any): Record<string, string>[] | undefined;
}

export function col(
  name: string,
  type: string,
  description: string,
  priority = 0,
  format = '',
): ColumnDefinition {
  return { name, type, format, description, priority };
}

export const nameColumn = () => col('Name', 'string', describe(OBJECT_META, 'name'), 0, 'name');
export const ageColumn = () => col('Age', 'string', describe(OBJECT_META, 'creationTimestamp'));

export function age(obj: any, now: Date): string {
  return since(obj?.metadata?.creationTimestamp, now);
}

/** `labels.FormatLabels`: `k=v,k2=v2` sorted by key, `<none>` when empty. */
export function formatLabels(m: Record<string, string> | undefined | null): string {
  const keys = Object.keys(m ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${m![k]}`).join(',');
}

/** Container names and images of a pod template, joined by commas. */
export function containerCells(spec: any): [string, string] {
  const cs: any[] = spec?.containers ?? [];
  return [cs.map((c) => c?.name ?? '').join(','), cs.map((c) => c?.image ?? '').join(',')];
}

/** A cached printer: column definitions built on first use. */
export function printer(
  columns: () => ColumnDefinition[],
  cells: (obj: any, now: Date) => unknown[],
): Printer {
  let cached: ColumnDefinition[] | undefined;
  return {
    columns: () => {
      cached ??= columns();
      return cached;
    },
    cells,
  };
}

export const int = (v: unknown): number => (typeof v === 'number' ? Math.trunc(v) : 0);

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { helmFuncs, sveltosFuncs } from '../engine/template/funcs/index.js';
import { type MissingKey, stripNoValue, TemplateError, TemplateSet } from '../engine/template/index.js';
import { ReportedError, UsageError } from '../lib/errors.js';
import { registerCommand } from './registry.js';

interface RenderOptions {
  data?: string;
  missingkey?: string;
  numbers?: string;
  helm: boolean;
}

function readFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
}

function readData(path: string | undefined): unknown {
  if (path === undefined) return null;
  const text = readFile(path, 'data file');
  try {
    // YAML is a superset of JSON: one parser reads both.
    return parseYaml(text);
  } catch (e) {
    throw new UsageError(`data file ${path} is neither JSON nor YAML: ${(e as Error).message}`);
  }
}

/** Renders a template file the way Sveltos (default) or Helm (`--helm`) would. */
export function renderTemplateFile(file: string, o: RenderOptions): string {
  const missingkey = o.missingkey ?? (o.helm ? 'zero' : 'default');
  if (!['default', 'invalid', 'zero', 'error'].includes(missingkey)) {
    throw new UsageError(
      `--missingkey must be one of error, zero, default; got ${JSON.stringify(missingkey)}`,
    );
  }
  const numbers = o.numbers ?? (o.helm ? 'float64' : 'int64');
  if (numbers !== 'int64' && numbers !== 'float64') {
    throw new UsageError(`--numbers must be int64 or float64; got ${JSON.stringify(numbers)}`);
  }
  const text = readFile(file, 'template file');
  const data = readData(o.data);
  const name = basename(file);
  const set = new TemplateSet({
    funcs: o.helm ? helmFuncs() : sveltosFuncs(),
    option: `missingkey=${missingkey as MissingKey}`,
    numbers,
  });
  set.parse(name, text);
  const out = set.execute(name, data);
  return o.helm ? stripNoValue(out) : out;
}

registerCommand((program: Command) => {
  const template = program
    .command('template')
    .description('Go text/template tools (Sveltos and Helm dialects)');
  template
    .command('render')
    .description('render a Go template file with JSON or YAML data; errors are printed as Go prints them')
    .argument('<file>', 'template file')
    .option('--data <file>', 'data (dot) as JSON or YAML')
    .option(
      '--missingkey <mode>',
      'missing map keys: error | zero | default (default: default, zero with --helm)',
    )
    .option('--numbers <mode>', 'number typing of the data: int64 (Kubernetes) | float64 (Helm values)')
    .option(
      '--helm',
      "Helm's dialect: Helm functions, missingkey=zero, <no value> removed, float64 numbers",
      false,
    )
    .action((file: string, o: RenderOptions) => {
      let out: string;
      try {
        out = renderTemplateFile(file, o);
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        // Go's own wording, unprefixed, so scripts can match `template: NAME:LINE:COL: ...`.
        process.stderr.write(`${e.message}\n`);
        throw new ReportedError(e);
      }
      process.stdout.write(out);
    });
});

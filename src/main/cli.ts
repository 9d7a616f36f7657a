import { Command, CommanderError, type HelpContext } from 'commander';
import { FlotillaError, ReportedError, UsageError } from '../lib/errors.js';
import { registeredCommands } from './registry.js';

/** Version of this flotilla build. */
export const VERSION = '0.1.0';

export function buildProgram(): Command {
  const program = new Command('flotilla')
    .description('Event-driven add-on controller for fleets of Kubernetes clusters (Sveltos-compatible)')
    .version(VERSION, '--version', 'print the flotilla version')
    // Usage errors are one line: what is wrong and where to look, then exit status 2.
    .configureOutput({
      outputError: (str, write) => write(`flotilla: ${str.replace(/^error: /, '').trimEnd()} (see --help)\n`),
    })
    .exitOverride();
  for (const r of registeredCommands()) r(program);
  missingSubcommandIsUsage(program);
  return program;
}

/**
 * `flotilla register` without `cluster`: commander would print the whole help and exit 0; make it
 * one line and exit status 2, like every other usage error.
 */
function missingSubcommandIsUsage(cmd: Command, path = 'flotilla'): void {
  for (const sub of cmd.commands) missingSubcommandIsUsage(sub, `${path} ${sub.name()}`);
  if (cmd.commands.length === 0 || path === 'flotilla') return;
  const help = cmd.help.bind(cmd);
  cmd.help = ((context?: HelpContext) => {
    if (context?.error) {
      const subs = cmd.commands.map((c) => `${path} ${c.name()}`).join(', ');
      throw new UsageError(`${path} needs a command: ${subs} (see ${path} --help)`);
    }
    return help(context);
  }) as Command['help'];
}

/** Runs the CLI and returns the exit status: 0 ok, 1 failure, 2 bad usage. */
export async function main(argv: string[]): Promise<number> {
  await import('./commands.js');
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      if (err.code === 'commander.help') return 0;
      return 2;
    }
    if (err instanceof ReportedError) return 1;
    if (err instanceof UsageError) {
      // One line, even when the message quotes multi-line input (a parser's excerpt).
      process.stderr.write(`flotilla: ${err.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 2;
    }
    if (err instanceof FlotillaError) {
      process.stderr.write(`flotilla: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`flotilla: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

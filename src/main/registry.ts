import type { Command } from 'commander';

type Registrar = (program: Command) => void;

/**
 * Subcommands register themselves here from their own files (src/main/cmd-*.ts); cli.ts builds
 * the program from the list. Kept apart from cli.ts so that command modules never import it.
 */
const registrars: Registrar[] = [];

export function registerCommand(r: Registrar): void {
  registrars.push(r);
}

export function registeredCommands(): readonly Registrar[] {
  return registrars;
}

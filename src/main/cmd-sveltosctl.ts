import type { Command } from 'commander';
import { registerSveltosctlCommands } from '../cli/index.js';
import { registerCommand } from './registry.js';

// sveltosctl-compatible commands (register, show, redeploy, version) and `explain`.
registerCommand((program: Command) => registerSveltosctlCommands(program, program.version() ?? '0.0.0'));

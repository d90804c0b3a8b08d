#!/usr/bin/env node
import { Command } from 'commander';
import { profilesFilePath } from '../core/app-paths.js';
import { runListCommand, type CommandOutput } from './list-command.js';

/** The command line for scripts: `npm run --silent cli -- list --json`. */
const program = new Command()
  .name('doover-profiles')
  .description(
    'Read the Doover profiles in ~/.doover/config without printing any secret.',
  );

program
  .command('list')
  .description('List every profile in file order.')
  .option('--json', 'print JSON for scripts')
  .option('--config <path>', 'read this file instead of ~/.doover/config')
  .action(async (options: { json?: boolean; config?: string }) => {
    const path = options.config ?? profilesFilePath();
    finish(
      await runListCommand(path, { json: options.json === true, nowMs: Date.now() }),
    );
  });

function finish(output: CommandOutput): void {
  process.stdout.write(output.stdout);
  process.stderr.write(output.stderr);
  process.exitCode = output.exitCode;
}

await program.parseAsync(process.argv);

#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import {
  defaultDataDir,
  isAppProfilesFile,
  profilesFilePath,
} from '../core/app-paths.js';
import { systemClock } from '../core/app-services.js';
import { cliLogger } from './cli-logger.js';
import {
  runDeleteCommand,
  runRenameCommand,
  refusedExitCode,
  runSeparateCommand,
  runSetCommand,
  type EditContext,
} from './edit-commands.js';
import { runListCommand, type CommandOutput } from './list-command.js';
import { runTokenCommand } from './token-command.js';

/** The command line for scripts: `npm run --silent cli -- list --json`. */
const program = new Command()
  .name('doover-profiles')
  .description(
    'Read the Doover profiles in ~/.doover/config without printing any secret.',
  )
  // Commands added below inherit this: a usage mistake is a refusal (exit 2),
  // not a crash, and the message commander printed is all that is said.
  .exitOverride();

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

const configOption = [
  '--config <path>',
  'edit this file instead of ~/.doover/config',
] as const;

program
  .command('set')
  .description(
    'Set file keys of a profile (KEY=VALUE, empty to unset), creating it if missing.',
  )
  .argument('<name>')
  .argument('<assignments...>')
  .option(...configOption)
  .action(async (name: string, assignments: string[], options: { config?: string }) => {
    finish(await runSetCommand(editContext(options), name, assignments));
  });

program
  .command('rename')
  .description('Rename a profile.')
  .argument('<old>')
  .argument('<new>')
  .option(...configOption)
  .action(async (from: string, to: string, options: { config?: string }) => {
    finish(await runRenameCommand(editContext(options), from, to));
  });

program
  .command('delete')
  .description('Delete a profile.')
  .argument('<name>')
  .option(...configOption)
  .action(async (name: string, options: { config?: string }) => {
    finish(await runDeleteCommand(editContext(options), name));
  });

program
  .command('separate')
  .description(
    'Put a blank line before each profile that starts inside this one with none, so Doover’s tools read each on its own.',
  )
  .argument('<name>')
  .option(...configOption)
  .action(async (name: string, options: { config?: string }) => {
    finish(await runSeparateCommand(editContext(options), name));
  });

function editContext(options: { config?: string }): EditContext {
  const path = options.config ?? profilesFilePath();

  return {
    path,
    otherFile: !isAppProfilesFile(path),
    dataDir: defaultDataDir(),
    clock: systemClock,
    log: cliLogger(),
  };
}

for (const mode of ['token', 'refresh'] as const) {
  program
    .command(`${mode} <name>`)
    .description(
      mode === 'token'
        ? 'Print a valid access token of the profile, and nothing else (renewed first when it expires within a minute).'
        : "Renew the profile's token now.",
    )
    .option('--config <path>', 'use this file instead of ~/.doover/config')
    .action(async (name: string, options: { config?: string }) => {
      const paths = {
        profilesPath: options.config ?? profilesFilePath(),
        dataDir: defaultDataDir(),
      };
      finish(await runTokenCommand(name, mode, paths));
    });
}

function finish(output: CommandOutput): void {
  process.stdout.write(output.stdout);
  process.stderr.write(output.stderr);
  process.exitCode = output.exitCode;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) {
    throw error;
  }
  // Exit code 0: the user asked for --help or --version.
  process.exitCode = error.exitCode === 0 ? 0 : refusedExitCode;
}

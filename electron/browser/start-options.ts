import { Command, InvalidArgumentError } from 'commander';

export interface StartOptions {
  /** 0: any free port. */
  port: number;
  /** Whether to open the default browser on the app's address. */
  open: boolean;
}

/** Reads `--port N` and `--no-open` from a full `process.argv`-style list. */
export function parseStartOptions(argv: readonly string[]): StartOptions {
  const program = new Command('start:browser')
    .description(
      'Run Doover Profiles in your web browser, served from this machine only.',
    )
    .option('--port <number>', 'port to listen on; 0 picks a free one', parsePort, 0)
    .option('--no-open', 'do not open a browser; just print the address')
    .exitOverride()
    .parse([...argv]);
  const options = program.opts<{ port: number; open: boolean }>();

  return { port: options.port, open: options.open };
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
  }

  return port;
}

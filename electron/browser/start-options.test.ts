import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseStartOptions } from './start-options.js';

const argv = (...args: string[]) => ['node', 'start.js', ...args];

describe('parseStartOptions', () => {
  it('picks a free port and opens the browser by default', () => {
    expect(parseStartOptions(argv())).toEqual({ port: 0, open: true });
  });

  it('reads --port and --no-open', () => {
    expect(parseStartOptions(argv('--port', '8123', '--no-open'))).toEqual({
      port: 8123,
      open: false,
    });
  });

  it.each(['abc', '-1', '65536', '80.5', ''])('refuses the port %j', (port) => {
    expect(() => parseStartOptions(argv('--port', port))).toThrow(CommanderError);
  });

  it('refuses options it does not know', () => {
    expect(() => parseStartOptions(argv('--host', '0.0.0.0'))).toThrow(CommanderError);
  });
});

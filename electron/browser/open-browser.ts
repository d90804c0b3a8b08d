import { spawn } from 'node:child_process';

export interface OpenCommand {
  command: string;
  args: string[];
  /** cmd.exe parses its own command line; Node must not quote it again. */
  verbatim: boolean;
}

/** The system command that opens a URL in the default browser. */
export function browserOpenCommand(url: string, platform: NodeJS.Platform): OpenCommand {
  if (platform === 'darwin') {
    return { command: 'open', args: [url], verbatim: false };
  }
  if (platform === 'win32') {
    // The empty title keeps `start` from reading the quoted URL as a window title.
    return {
      command: 'cmd.exe',
      args: ['/d', '/s', '/c', `start "" "${url}"`],
      verbatim: true,
    };
  }
  return { command: 'xdg-open', args: [url], verbatim: false };
}

/**
 * Whether this session can show a browser window. On Linux and the BSDs that
 * needs a display: without one, xdg-open would start a text browser inside
 * the terminal the server is printing to.
 */
export function hasGraphicalSession(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
): boolean {
  if (platform === 'darwin' || platform === 'win32') {
    return true;
  }

  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * Asks the system to open `url`; resolves false when the opener is missing or
 * reports a failure. Some openers stay running as long as the browser does, so
 * callers should not wait on this before telling the user where the app is.
 */
export function openInBrowser(
  url: string,
  platform: NodeJS.Platform = process.platform,
): Promise<boolean> {
  const { command, args, verbatim } = browserOpenCommand(url, platform);

  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: 'ignore',
      detached: true,
      windowsHide: true,
      windowsVerbatimArguments: verbatim,
    });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
    child.unref();
  });
}

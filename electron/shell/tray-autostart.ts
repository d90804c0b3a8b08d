import { mkdir, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/**
 * Starting at login on Linux, where Electron's login-item settings do nothing:
 * a desktop entry in the XDG autostart folder, which GNOME, KDE, Xfce and
 * the other desktops run when the user logs in.
 */

/** The argument a login start carries, so the app starts in the tray without a window. */
export const hiddenStartFlag = '--hidden';

/** `~/.config/autostart/doover-profiles.desktop`, or under `$XDG_CONFIG_HOME`. */
export function autostartFilePath(
  env: NodeJS.ProcessEnv = process.env,
  homeDir: string = homedir(),
): string {
  const configHome = env.XDG_CONFIG_HOME || join(homeDir, '.config');
  return join(configHome, 'autostart', 'doover-profiles.desktop');
}

/** The desktop entry that starts `command` (executable first) at login. */
export function autostartDesktopEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Doover Profiles',
    'Comment=Keeps Doover sign-in tokens fresh',
    `Exec=${execValue(command)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Characters a desktop entry's string value writes with a backslash. */
const stringEscapes: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * The Exec value as the Desktop Entry Specification wants it: arguments with
 * reserved characters in double quotes with `"`, `` ` ``, `$` and `\`
 * escaped, `%` doubled (it starts field codes); then, because the whole value
 * is an escaped string, every backslash doubled once more and line breaks and
 * tabs written as `\n`, `\r`, `\t`.
 */
export function execValue(command: readonly string[]): string {
  return command
    .map(quoteArgument)
    .join(' ')
    .replace(/[\\\n\r\t]/g, (character) => stringEscapes[character] ?? character);
}

function quoteArgument(argument: string): string {
  const escaped = argument.replaceAll('%', '%%');
  if (escaped !== '' && !/[\s"'\\><~|&;$*?#()`]/.test(escaped)) {
    return escaped;
  }

  return `"${escaped.replace(/["`$\\]/g, (character) => `\\${character}`)}"`;
}

/**
 * Whether the app starts at login: the entry exists and is not switched off
 * (desktops' startup settings write `Hidden=true` or disable the GNOME key).
 */
export async function isAutostartEnabled(path: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return false;
  }

  return (
    !/^Hidden\s*=\s*true\s*$/m.test(text) &&
    !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text)
  );
}

/** Writes the autostart entry for `command`, or removes it when `command` is null. */
export async function setAutostart(
  path: string,
  command: readonly string[] | null,
): Promise<void> {
  if (command === null) {
    await rm(path, { force: true });
    return;
  }

  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, autostartDesktopEntry(command), { mode: 0o644 });
}

export interface LoginCommandInputs {
  execPath: string;
  env: NodeJS.ProcessEnv;
  /** The app folder, when Electron runs it from sources rather than packaged. */
  appPath?: string | undefined;
}

/**
 * The command a login start runs: the AppImage file itself when running from
 * one (the executable inside is on a mount that disappears), else the app's
 * executable; then the app folder if unpackaged, and the flag to start hidden.
 */
export function loginCommand(inputs: LoginCommandInputs): string[] {
  const appImage = inputs.env.APPIMAGE;
  const executable =
    appImage !== undefined && appImage !== '' ? appImage : inputs.execPath;
  const appArguments = inputs.appPath === undefined ? [] : [inputs.appPath];

  return [executable, ...appArguments, hiddenStartFlag];
}

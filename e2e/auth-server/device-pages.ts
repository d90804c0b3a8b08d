/**
 * The device verification pages, plain and self-contained (no web fonts: the
 * test machines have no internet), naming the device that asked to sign in.
 */

/** The koa context fields the page callbacks use. */
interface PageContext {
  body: unknown;
  ip: string;
  get(header: string): string;
  oidc: { body?: Record<string, unknown> };
}

/** What `deviceInfo` stored for a pending sign-in. */
interface DeviceInfo {
  name?: string;
  type?: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title: string, content: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${escapeHtml(title)}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <style>
    body { font-family: sans-serif; max-width: 26rem; margin: 3rem auto; padding: 0 1rem; }
    input[type=text] { font-size: 1.4rem; text-transform: uppercase; width: 100%; }
    button { font-size: 1rem; margin-top: 1rem; padding: 0.5rem 1rem; }
    code { font-size: 1.6rem; }
    .error { color: #b00020; }
  </style>
</head>
<body>
  <h1>${escapeHtml(title)}</h1>
  ${content}
</body>
</html>`;
}

function inputMessage(error: Error | undefined): string {
  if (error === undefined) {
    return '<p>Enter the code shown by your device.</p>';
  }
  if (error.name === 'AbortedError') {
    return '<p class="error" role="alert">The sign-in request was interrupted.</p>';
  }

  return '<p class="error" role="alert">The code you entered is incorrect or expired. Try again.</p>';
}

/** Remembers FusionAuth's device metadata so the confirmation page can name it. */
export function deviceInfo(ctx: PageContext): DeviceInfo & { ip: string; ua: string } {
  const body = ctx.oidc.body ?? {};
  const name = body['metaData.device.name'];
  const type = body['metaData.device.type'];

  return {
    ip: ctx.ip,
    ua: ctx.get('user-agent'),
    ...(typeof name === 'string' ? { name } : {}),
    ...(typeof type === 'string' ? { type } : {}),
  };
}

/** The page asking for the user code. */
export function userCodeInputSource(
  ctx: PageContext,
  form: string,
  _out: unknown,
  error?: Error,
): void {
  ctx.body = page(
    'Device sign-in',
    `${inputMessage(error)}
  ${form}
  <button type="submit" form="op.deviceInputForm">Continue</button>`,
  );
}

/** The page asking to confirm the device, showing its code and name. */
export function userCodeConfirmSource(
  ctx: PageContext,
  form: string,
  _client: unknown,
  device: DeviceInfo,
  userCode: string,
): void {
  const name =
    device.name === undefined ? 'A device' : `The device “${escapeHtml(device.name)}”`;
  ctx.body = page(
    'Confirm device',
    `<p>${name} is asking to sign in to Doover. It shows this code:</p>
  <p><code>${escapeHtml(userCode)}</code></p>
  ${form}
  <button autofocus type="submit" form="op.deviceConfirmForm">Continue</button>
  <button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Deny</button>`,
  );
}

/** The page shown once the sign-in is approved. */
export function successSource(ctx: PageContext): void {
  ctx.body = page(
    'Sign-in Success',
    '<p>Your device is signed in. You can close this page.</p>',
  );
}

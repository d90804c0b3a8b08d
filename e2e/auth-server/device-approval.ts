import { ROUTES } from './provider-config.js';

/** A page reached by following redirects. */
interface Page {
  url: URL;
  status: number;
  html: string;
}

const MAX_REDIRECTS = 10;

/** Koa clears a cookie by sending it empty and expired. */
function isCleared(setCookie: string): boolean {
  return /^[^=]+=;/.test(setCookie) || /expires=Thu, 01 Jan 1970/i.test(setCookie);
}

/**
 * Just enough of a browser for the sign-in pages: one cookie jar for the one
 * host, form posts, and redirects followed by hand so every cookie is kept.
 */
class FormBrowser {
  readonly #origin: string;
  readonly #cookies = new Map<string, string>();

  constructor(origin: string) {
    this.#origin = origin;
  }

  get(path: string): Promise<Page> {
    return this.#follow(new URL(path, this.#origin), { method: 'GET' });
  }

  post(path: string, form: Record<string, string>): Promise<Page> {
    return this.#follow(new URL(path, this.#origin), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  async #follow(start: URL, first: RequestInit): Promise<Page> {
    let url = start;
    let init = first;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const response = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: this.#headers(init),
      });
      this.#keepCookies(response);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) {
        return { url, status: response.status, html: await response.text() };
      }
      await response.body?.cancel();
      url = new URL(location, url);
      init = { method: 'GET' };
    }

    throw new Error(`sign-in pages redirected more than ${MAX_REDIRECTS} times`);
  }

  #headers(init: RequestInit): Record<string, string> {
    const cookie = [...this.#cookies]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');

    return {
      ...(init.headers as Record<string, string> | undefined),
      ...(cookie ? { cookie } : {}),
    };
  }

  #keepCookies(response: Response): void {
    for (const setCookie of response.headers.getSetCookie()) {
      const pair = setCookie.split(';', 1)[0] ?? '';
      const name = pair.slice(0, pair.indexOf('='));
      if (isCleared(setCookie)) {
        this.#cookies.delete(name);
      } else {
        this.#cookies.set(name, pair.slice(name.length + 1));
      }
    }
  }
}

function hiddenInput(page: Page, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(page.html);
  if (match?.[1] === undefined) {
    throw new Error(
      `sign-in page ${page.url.pathname} (${pageTitle(page)}) has no ${name} field`,
    );
  }

  return match[1];
}

function pageTitle(page: Page): string {
  return /<title>([^<]*)<\/title>/.exec(page.html)?.[1]?.trim() ?? `HTTP ${page.status}`;
}

/** What the person at the verification page does. */
export interface DeviceDecision {
  /** The login typed on the sign-in page: the token subject. */
  sub: string;
  /** Abort on the confirmation page instead of approving. */
  deny: boolean;
}

/**
 * Enters a user code on the verification page of the server at `origin`,
 * then approves (signing in and consenting) or aborts, over plain HTTP.
 */
export async function decideDevice(
  origin: string,
  userCode: string,
  decision: DeviceDecision,
): Promise<void> {
  const browser = new FormBrowser(origin);
  const xsrf = hiddenInput(await browser.get(ROUTES.code_verification), 'xsrf');
  const codeForm = { xsrf, user_code: userCode };
  const confirmation = await browser.post(ROUTES.code_verification, codeForm);
  if (!confirmation.html.includes('op.deviceConfirmForm')) {
    throw new Error(
      `the verification page did not accept the user code (${pageTitle(confirmation)})`,
    );
  }

  if (decision.deny) {
    const aborted = await browser.post(ROUTES.code_verification, {
      ...codeForm,
      confirm: 'yes',
      abort: 'yes',
    });
    if (!aborted.html.includes('interrupted')) {
      throw new Error(`denying the device ended on ${pageTitle(aborted)}`);
    }
    return;
  }

  let page = await browser.post(ROUTES.code_verification, {
    ...codeForm,
    confirm: 'yes',
  });
  for (
    let step = 0;
    step < 4 && page.url.pathname.startsWith('/interaction/');
    step += 1
  ) {
    const prompt = hiddenInput(page, 'prompt');
    const answer =
      prompt === 'login' ? { prompt, login: decision.sub, password: 'any' } : { prompt };
    page = await browser.post(page.url.pathname, answer);
  }
  if (!page.html.includes('Sign-in Success')) {
    throw new Error(`approving the device ended on ${pageTitle(page)}`);
  }
}

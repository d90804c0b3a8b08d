/**
 * The parts of Electron's IPC event the guard reads, typed structurally so the
 * check runs under plain Node in tests.
 */
export interface GuardedFrame {
  readonly url: string;
  readonly frameTreeNodeId: number;
  readonly parent: GuardedFrame | null;
}

export interface GuardedContents {
  readonly id: number;
  readonly mainFrame: GuardedFrame;
}

export interface GuardedEvent {
  readonly sender: GuardedContents;
  readonly senderFrame: GuardedFrame | null;
}

/**
 * Whether an IPC message comes from the main frame of one of our own windows
 * while it shows our own page. A subframe, another web contents, or our window
 * after it somehow navigated elsewhere are all refused.
 */
export function isOwnMainFrame(
  event: GuardedEvent,
  ownContents: readonly GuardedContents[],
  appUrl: string,
): boolean {
  const frame = event.senderFrame;
  if (frame === null || frame.parent !== null) {
    return false;
  }
  const contents = ownContents.find((own) => own.id === event.sender.id);
  if (
    contents === undefined ||
    frame.frameTreeNodeId !== contents.mainFrame.frameTreeNodeId
  ) {
    return false;
  }

  return isAppPage(frame.url, appUrl);
}

/** Whether a URL is the app's page, ignoring the fragment it may use for routing. */
export function isAppPage(url: string, appUrl: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  parsed.hash = '';

  return parsed.href === appUrl;
}

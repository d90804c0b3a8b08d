import { describe, expect, it } from 'vitest';
import {
  isAppPage,
  isOwnMainFrame,
  type GuardedContents,
  type GuardedFrame,
} from './sender-guard.js';

const appUrl = 'file:///opt/doover-profiles/dist/renderer/index.html';

function frame(
  id: number,
  url: string,
  parent: GuardedFrame | null = null,
): GuardedFrame {
  return { frameTreeNodeId: id, url, parent };
}

const ourMainFrame = frame(1, appUrl);
const ours: GuardedContents = { id: 10, mainFrame: ourMainFrame };

describe('isOwnMainFrame', () => {
  it('accepts our window main frame showing our page', () => {
    expect(
      isOwnMainFrame({ sender: ours, senderFrame: ourMainFrame }, [ours], appUrl),
    ).toBe(true);
  });

  it('accepts our page with a fragment used for routing', () => {
    const routed = frame(1, `${appUrl}#/profiles/default`);
    const contents = { id: 10, mainFrame: routed };

    expect(
      isOwnMainFrame({ sender: contents, senderFrame: routed }, [contents], appUrl),
    ).toBe(true);
  });

  it('refuses a subframe of our window, even one showing our page', () => {
    const subframe = frame(2, appUrl, ourMainFrame);

    expect(isOwnMainFrame({ sender: ours, senderFrame: subframe }, [ours], appUrl)).toBe(
      false,
    );
  });

  it('refuses a top-level frame that is not our window main frame', () => {
    const stray = frame(3, appUrl);

    expect(isOwnMainFrame({ sender: ours, senderFrame: stray }, [ours], appUrl)).toBe(
      false,
    );
  });

  it('refuses our main frame once it shows a foreign page', () => {
    for (const url of [
      'https://evil.example/',
      'file:///tmp/index.html',
      `${appUrl}?injected=1`,
      'about:blank',
      '',
    ]) {
      const navigated = frame(1, url);
      const contents = { id: 10, mainFrame: navigated };
      expect(
        isOwnMainFrame({ sender: contents, senderFrame: navigated }, [contents], appUrl),
        url,
      ).toBe(false);
    }
  });

  it('refuses a web contents that is not one of our windows', () => {
    const otherFrame = frame(7, appUrl);
    const other = { id: 11, mainFrame: otherFrame };

    expect(
      isOwnMainFrame({ sender: other, senderFrame: otherFrame }, [ours], appUrl),
    ).toBe(false);
  });

  it('refuses a message whose frame is already gone', () => {
    expect(isOwnMainFrame({ sender: ours, senderFrame: null }, [ours], appUrl)).toBe(
      false,
    );
  });
});

describe('isAppPage', () => {
  it('ignores only the fragment', () => {
    expect(isAppPage(`${appUrl}#x`, appUrl)).toBe(true);
    expect(isAppPage(`${appUrl}x`, appUrl)).toBe(false);
    expect(isAppPage('not a url', appUrl)).toBe(false);
  });
});

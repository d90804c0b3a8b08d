/**
 * jsdom lays nothing out: every element measures 0 px and cannot scroll, so
 * the virtual list would show no row. This gives every element a fixed client
 * size, a scroll height from its children's inline heights, and a scrollTo
 * that moves scrollTop and fires "scroll", as a window of that size would.
 * Returns a function that takes it all back.
 */
export function emulateLayout(width: number, height: number): () => void {
  const proto = HTMLElement.prototype;
  Object.defineProperty(proto, 'clientWidth', { configurable: true, get: () => width });
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get: () => height });
  Object.defineProperty(proto, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return Math.max(height, childrenHeight(this));
    },
  });
  Object.defineProperty(proto, 'scrollTo', { configurable: true, value: scrollTo });

  // Deleting the own properties uncovers jsdom's originals on Element.prototype again.
  return () => {
    Reflect.deleteProperty(proto, 'clientWidth');
    Reflect.deleteProperty(proto, 'clientHeight');
    Reflect.deleteProperty(proto, 'scrollHeight');
    Reflect.deleteProperty(proto, 'scrollTo');
  };
}

function scrollTo(this: HTMLElement, options?: ScrollToOptions) {
  if (options?.top !== undefined) {
    this.scrollTop = options.top;
    this.dispatchEvent(new Event('scroll'));
  }
}

function childrenHeight(element: HTMLElement): number {
  let total = 0;
  for (const child of element.children) {
    total +=
      child instanceof HTMLElement ? Number.parseFloat(child.style.height) || 0 : 0;
  }

  return total;
}

/**
 * Browser APIs that jsdom lacks and uPlot needs, for component tests (`@jest-environment jsdom`):
 * a 2D canvas context and `Path2D` that draw nothing, `matchMedia` and `ResizeObserver`. Node tests skip it.
 */

if (typeof window !== 'undefined') {
  const context = new Proxy(
    {},
    {
      get: (target: Record<string | symbol, unknown>, key) =>
        key in target
          ? target[key]
          : key === 'measureText'
            ? () => ({ width: 10 })
            : () => undefined,
      set: (target: Record<string | symbol, unknown>, key, value) => {
        target[key] = value;
        return true;
      }
    }
  );
  HTMLCanvasElement.prototype.getContext = (() =>
    context) as unknown as HTMLCanvasElement['getContext'];
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      addEventListener: () => undefined,
      removeEventListener: () => undefined
    }) as unknown as MediaQueryList;
  // a path that records nothing (uPlot builds its lines as Path2D)
  class NoPath2D {
    constructor() {
      return new Proxy(this, {
        get: (target, key) =>
          key in target
            ? (target as Record<string | symbol, unknown>)[key]
            : () => undefined
      });
    }
  }
  (window as unknown as { Path2D: unknown }).Path2D = NoPath2D;
  (globalThis as unknown as { Path2D: unknown }).Path2D = NoPath2D;
  class NoResizeObserver {
    observe(): void {
      return;
    }
    disconnect(): void {
      return;
    }
    unobserve(): void {
      return;
    }
  }
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver =
    NoResizeObserver;
}

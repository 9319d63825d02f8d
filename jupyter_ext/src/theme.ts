/**
 * Following JupyterLab's theme: charts draw on a canvas with colours read from CSS variables,
 * so they must be drawn again when the theme changes.
 */

import { useEffect, useState } from 'react';

/** The body attributes JupyterLab's theme manager sets once a theme's CSS is loaded. */
const THEME_ATTRIBUTES = ['data-jp-theme-name', 'data-jp-theme-light'];

/**
 * Call `onChange` (on the next frame, when the new CSS variables apply) whenever the theme
 * changes; returns a function that stops watching.
 *
 * @example
 * const stop = watchTheme(() => chart.redraw());
 */
export function watchTheme(onChange: () => void): () => void {
  if (typeof MutationObserver === 'undefined' || !document.body) {
    return () => undefined;
  }
  let frame = 0;
  const observer = new MutationObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(onChange);
  });
  observer.observe(document.body, {
    attributes: true,
    attributeFilter: THEME_ATTRIBUTES
  });
  return () => {
    cancelAnimationFrame(frame);
    observer.disconnect();
  };
}

/**
 * A counter that grows when the theme changes: put it in a chart effect's dependencies.
 *
 * @example
 * const theme = useThemeVersion();
 * useEffect(() => draw(), [data, theme]);
 */
export function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => watchTheme(() => setVersion(v => v + 1)), []);
  return version;
}

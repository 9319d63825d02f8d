/**
 * Cell code highlighted by JupyterLab's own CodeMirror languages and highlight style, so the
 * code diff reads like a notebook cell in every theme.
 */

import {
  IEditorLanguageRegistry,
  jupyterHighlightStyle
} from '@jupyterlab/codemirror';

import { Highlighter, IToken, splitTokens } from './diff';

let styleMounted = false;

/** The highlight style's CSS is mounted by editors; mount it once in case none is open. */
function mountHighlightStyle(): void {
  const rules = jupyterHighlightStyle.module?.getRules();
  if (styleMounted || !rules) {
    return;
  }
  const style = document.createElement('style');
  style.dataset.labtrack = 'highlight';
  style.textContent = rules;
  document.head.appendChild(style);
  styleMounted = true;
}

/**
 * A highlighter of Python (IPython) cells through the editor language registry.
 *
 * @example
 * const lines = await makeHighlighter(languages)('lr = 0.1');
 */
export function makeHighlighter(
  languages: IEditorLanguageRegistry
): Highlighter {
  return async (code: string): Promise<IToken[][]> => {
    mountHighlightStyle();
    const language =
      languages.findByMIME('text/x-ipython') ?? languages.findBest('python');
    const element = document.createElement('div');
    await languages.highlight(code, language, element);
    const pieces: IToken[] = Array.from(element.childNodes).map(node => ({
      text: node.textContent ?? '',
      className: node instanceof HTMLElement ? node.className : ''
    }));
    return splitTokens(pieces);
  };
}

import {
  IEditorLanguageRegistry,
  jupyterHighlightStyle
} from '@jupyterlab/codemirror';
import React, { useEffect, useRef } from 'react';

let highlightCssMounted = false;

/**
 * Make sure the CSS of JupyterLab's syntax highlighting classes is in the
 * page: CodeMirror mounts it only when an editor is created, and a node page
 * may be the first code shown in the session.
 */
function mountHighlightCss(): void {
  const rules = jupyterHighlightStyle.module?.getRules();
  if (highlightCssMounted || !rules) {
    return;
  }
  const style = document.createElement('style');
  style.dataset.owner = 'jupyterlab-dbt-workbench';
  style.textContent = rules;
  document.head.appendChild(style);
  highlightCssMounted = true;
}

/** Props of {@link SqlBlock}. */
export interface ISqlBlockProps {
  kind: 'raw' | 'compiled';
  code: string;
  /** The node's language (`sql` or `python`). */
  language: string | null;
  languages: IEditorLanguageRegistry | null;
}

/**
 * Read-only code highlighted with CodeMirror's parser and JupyterLab's
 * theme colors, as static HTML (cheap even for long compiled SQL).
 */
export function SqlBlock(props: ISqlBlockProps): JSX.Element {
  const host = useRef<HTMLElement>(null);
  const { code, language, languages } = props;

  useEffect(() => {
    const element = host.current;
    if (!element) {
      return;
    }
    element.textContent = code;
    if (!languages) {
      return;
    }
    let cancelled = false;
    const spec = languages.findBest(language || 'sql');
    const target = document.createElement('code');
    void languages
      .highlight(code, spec, target)
      .then(() => {
        if (!cancelled) {
          mountHighlightCss();
          element.replaceChildren(...Array.from(target.childNodes));
        }
      })
      .catch(() => {
        // The plain text set above stays: highlighting is a nicety.
      });
    return () => {
      cancelled = true;
    };
  }, [code, language, languages]);

  return (
    <pre className="jp-DbtWorkbench-sql" data-kind={props.kind}>
      <code ref={host} />
    </pre>
  );
}

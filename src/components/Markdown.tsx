import { IRenderMimeRegistry, MimeModel } from '@jupyterlab/rendermime';
import React, { useEffect, useRef } from 'react';

/**
 * Markdown rendered by JupyterLab's own renderer. The model is untrusted,
 * so rendermime sanitizes the HTML that dbt descriptions may contain.
 */
export function Markdown(props: {
  source: string;
  rendermime: IRenderMimeRegistry;
  className?: string;
}): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const { source, rendermime } = props;

  useEffect(() => {
    const element = host.current;
    if (!element) {
      return;
    }
    const renderer = rendermime.createRenderer('text/markdown');
    let disposed = false;
    const model = new MimeModel({
      data: { 'text/markdown': source },
      trusted: false
    });
    void renderer.renderModel(model).then(() => {
      if (!disposed) {
        element.replaceChildren(renderer.node);
      }
    });
    return () => {
      disposed = true;
      renderer.dispose();
    };
  }, [source, rendermime]);

  return <div className={props.className} ref={host} />;
}

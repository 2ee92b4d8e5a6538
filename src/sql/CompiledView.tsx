import { CodeEditor, IEditorFactoryService } from '@jupyterlab/codeeditor';
import React, { useEffect, useRef } from 'react';

import { SQL_MIME } from './editor';

/** Props of {@link CompiledView}. */
export interface ICompiledViewProps {
  factory: IEditorFactoryService;
  sql: string;
}

/** Compiled SQL in a read-only JupyterLab editor (highlighted, searchable). */
export function CompiledView(props: ICompiledViewProps): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const model = useRef<CodeEditor.Model | null>(null);

  useEffect(() => {
    if (!host.current) {
      return;
    }
    const editorModel = new CodeEditor.Model({ mimeType: SQL_MIME });
    model.current = editorModel;
    const editor = props.factory.newDocumentEditor({
      host: host.current,
      model: editorModel,
      config: { readOnly: true, lineNumbers: true, editable: false }
    });
    return () => {
      editor.dispose();
      editorModel.dispose();
      model.current = null;
    };
  }, [props.factory]);

  useEffect(() => {
    model.current?.sharedModel.setSource(props.sql);
  }, [props.sql, props.factory]);

  return <div ref={host} className="jp-DbtWorkbench-sqlCompiled" />;
}

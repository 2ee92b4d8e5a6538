/**
 * The SQL buffer of a workspace tab: JupyterLab's CodeMirror 6 editor in
 * SQL mode, with the dbt name completion and an error-line marker.
 */
import { Extension, StateEffect, StateField } from '@codemirror/state';
import { Decoration, DecorationSet, EditorView } from '@codemirror/view';
import { CodeEditor, IEditorFactoryService } from '@jupyterlab/codeeditor';
import { CodeMirrorEditor } from '@jupyterlab/codemirror';
import { ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { sqlCompletion } from './editorCompletion';
import { IRunText, replaceRelationName, runTextOf } from './text';
import type { ISqlCompletions } from './types';

/** The MIME type JupyterLab's language registry maps to standard SQL. */
export const SQL_MIME = 'text/x-sql';

/** The class the run shortcuts are bound to (schema/plugin.json). */
export const SQL_EDITOR_CLASS = 'jp-DbtWorkbench-sqlEditor';

const setErrorLine = StateEffect.define<number | null>();

const errorLineMark = Decoration.line({
  class: 'jp-DbtWorkbench-sqlErrorLine'
});

/** The line decoration of a query error, cleared by the next edit. */
const errorLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, transaction) {
    if (transaction.docChanged) {
      marks = Decoration.none;
    }
    for (const effect of transaction.effects) {
      if (effect.is(setErrorLine)) {
        const line = effect.value;
        const doc = transaction.state.doc;
        marks =
          line !== null && line >= 1 && line <= doc.lines
            ? Decoration.set([errorLineMark.range(doc.line(line).from)])
            : Decoration.none;
      }
    }
    return marks;
  },
  provide: field => EditorView.decorations.from(field)
});

/** Options of {@link SqlEditor}. */
export interface ISqlEditorOptions {
  factory: IEditorFactoryService;
  text: string;
  /** The project's names, or null while they load. */
  completions: () => ISqlCompletions | null;
}

/** The editor widget of a SQL workspace tab. */
export class SqlEditor extends Widget {
  constructor(options: ISqlEditorOptions) {
    super();
    this.addClass(SQL_EDITOR_CLASS);
    // JupyterLab's Ctrl+Enter binding inserts a blank line except in code
    // runners: marking the host lets the run shortcut through.
    this.node.dataset.jpCodeRunner = 'true';
    this._model = new CodeEditor.Model({ mimeType: SQL_MIME });
    this._model.sharedModel.setSource(options.text);
    const extensions: Extension[] = [
      errorLineField,
      sqlCompletion(options.completions),
      EditorView.updateListener.of(update => {
        if (update.docChanged) {
          this._textChanged.emit(undefined);
        }
      })
    ];
    this._editor = options.factory.newDocumentEditor({
      host: this.node,
      model: this._model,
      extensions,
      config: { lineNumbers: true, lineWrap: false }
    }) as CodeMirrorEditor;
  }

  /** Emitted after every edit. */
  get textChanged(): ISignal<this, void> {
    return this._textChanged;
  }

  get editor(): CodeMirrorEditor {
    return this._editor;
  }

  get text(): string {
    return this._model.sharedModel.getSource();
  }

  set text(value: string) {
    this._model.sharedModel.setSource(value);
  }

  /** The selection when there is one, else the whole buffer. */
  runText(): IRunText {
    const selection = this._editor.state.selection.main;
    return runTextOf(this.text, selection.from, selection.to);
  }

  /** Mark (or, with null, unmark) a buffer line as the error's. */
  markErrorLine(line: number | null, column: number | null = null): void {
    const view = this._editor.editor;
    view.dispatch({ effects: setErrorLine.of(line) });
    if (line !== null && line >= 1 && line <= view.state.doc.lines) {
      const info = view.state.doc.line(line);
      const offset = Math.min(
        info.to,
        info.from + Math.max(0, (column ?? 1) - 1)
      );
      view.dispatch({
        selection: { anchor: offset },
        effects: EditorView.scrollIntoView(offset, { y: 'center' })
      });
    }
  }

  /** Replace an unknown relation name with a suggestion. */
  replaceName(name: string, replacement: string): void {
    this.text = replaceRelationName(this.text, name, replacement);
  }

  focus(): void {
    this._editor.focus();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._editor.dispose();
    this._model.dispose();
    Signal.clearData(this);
    super.dispose();
  }

  private _model: CodeEditor.Model;
  private _editor: CodeMirrorEditor;
  private _textChanged = new Signal<this, void>(this);
}

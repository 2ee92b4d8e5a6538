/**
 * Metadata edits and test suggestions: "Edit metadata" and "Suggest tests"
 * on node pages, each change shown as a diff before it is written.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Dialog,
  MainAreaWidget,
  Notification,
  showDialog
} from '@jupyterlab/apputils';
import { ReactWidget, ToolbarButton } from '@jupyterlab/ui-components';
import React from 'react';

import { WorkbenchModel } from '../model/workbench';
import type { NodePage } from '../panels/nodePage';
import { WorkbenchAPIError } from '../request';
import { showError } from '../notify';
import { can, deniedText, permissionTitle } from '../permissions';
import { CommandIDs } from '../tokens';
import { applyEdit, fetchEditable, fetchSettings, previewEdit } from './api';
import { DiffView } from './DiffView';
import { draftOf, editOf, IDraft } from './draft';
import { MetadataForm } from './MetadataForm';
import { SuggestionsBody } from './SuggestionsView';
import {
  IMetadataEdit,
  IMetadataPreview,
  IMetadataSettings,
  ITestSuggestion
} from './types';

/** Node types whose properties can be edited, and those that can be profiled. */
const EDITABLE = ['model', 'seed', 'snapshot', 'source'];
const PROFILED = ['model', 'seed', 'snapshot'];

/** Options of {@link activateMetadata}. */
export interface IMetadataOptions {
  app: JupyterFrontEnd;
  model: WorkbenchModel;
}

/** What the rest of the workbench plugs in. */
export interface IMetadataHooks {
  /** Add "Edit metadata" and "Suggest tests" to a node page's toolbar. */
  addNodeToolbar: (widget: MainAreaWidget<NodePage>) => void;
}

type SaveOutcome = 'saved' | 'cancelled' | 'back';

/** Register the commands; returns the node-page toolbar hook. */
export function activateMetadata(options: IMetadataOptions): IMetadataHooks {
  const { app, model } = options;
  const { commands } = app;
  const mayEdit = (): boolean => can(model.permissions, 'edit_metadata');
  model.permissionsChanged.connect(() =>
    commands.notifyCommandChanged(CommandIDs.editMetadata)
  );

  let settings: IMetadataSettings | null = null;
  const loadSettings = async (): Promise<IMetadataSettings> => {
    if (!settings) {
      try {
        settings = await fetchSettings();
      } catch {
        // Unknown: offer the actions and let the server say no.
        return { allow_edits: true, message: null };
      }
    }
    return settings;
  };

  const notifySaved = (project: string, message: string): void => {
    Notification.success(message, {
      autoClose: 12000,
      actions: [
        {
          label: 'Run dbt parse',
          caption: 'Parse the project so the workbench shows the new text',
          callback: () =>
            void commands.execute(CommandIDs.runCli, { project, cli: 'parse' })
        }
      ]
    });
  };

  /**
   * Show the diff and save on request. A file changed since the preview is
   * reported, with a fresh preview on offer.
   */
  const confirmAndSave = async (
    edit: IMetadataEdit,
    title: string,
    allowBack: boolean
  ): Promise<SaveOutcome> => {
    let preview: IMetadataPreview = await previewEdit(edit);
    for (;;) {
      if (!preview.changed) {
        await showDialog({
          title,
          body: ReactWidget.create(<DiffView diff="" />),
          buttons: [Dialog.okButton({ label: 'Close' })]
        });
        return 'cancelled';
      }
      const buttons = [
        Dialog.cancelButton(),
        ...(allowBack ? [Dialog.cancelButton({ label: 'Back' })] : []),
        Dialog.okButton({ label: 'Save' })
      ];
      const body = ReactWidget.create(
        <div className="jp-DbtWorkbench-diffDialog">
          <p>
            {preview.created ? 'Creates ' : 'Changes '}
            <code>{preview.file}</code>:
          </p>
          <DiffView diff={preview.diff} />
        </div>
      );
      const answer = await showDialog({ title, body, buttons });
      if (!answer.button.accept) {
        return answer.button.label === 'Back' ? 'back' : 'cancelled';
      }
      try {
        const applied = await applyEdit(edit, preview.base);
        notifySaved(edit.project, applied.message);
        return 'saved';
      } catch (error) {
        if (!(error instanceof WorkbenchAPIError && error.status === 409)) {
          throw error;
        }
        const retry = await showDialog({
          title: 'The file changed',
          body: `${error.message}`,
          buttons: [
            Dialog.cancelButton(),
            Dialog.okButton({ label: 'Reload preview' })
          ]
        });
        if (!retry.button.accept) {
          return 'cancelled';
        }
        preview = await previewEdit(edit);
      }
    }
  };

  const editMetadata = async (project: string, uniqueId: string) => {
    const node = await fetchEditable(project, uniqueId);
    if (!node.allow_edits) {
      Notification.warning(
        (await loadSettings()).message ?? 'Metadata edits are switched off.'
      );
      return;
    }
    let draft: IDraft = draftOf(node);
    for (;;) {
      const form = await showDialog({
        title: `Edit metadata of ${node.name}`,
        body: new MetadataForm(node, draft),
        buttons: [Dialog.cancelButton(), Dialog.okButton({ label: 'Preview' })]
      });
      if (!form.button.accept || !form.value) {
        return;
      }
      draft = form.value;
      const edit = editOf(node, draft);
      if (!edit) {
        Notification.info('Nothing changed.', { autoClose: 4000 });
        return;
      }
      const outcome = await confirmAndSave(
        edit,
        `Save metadata of ${node.name}?`,
        true
      );
      if (outcome !== 'back') {
        return;
      }
    }
  };

  const suggestTests = async (project: string, uniqueId: string) => {
    const current = await loadSettings();
    const onAdd = async (suggestion: ITestSuggestion): Promise<boolean> => {
      const test =
        Object.keys(suggestion.arguments).length > 0
          ? { name: suggestion.test, arguments: suggestion.arguments }
          : { name: suggestion.test };
      try {
        const outcome = await confirmAndSave(
          {
            project,
            node: uniqueId,
            columns: [{ name: suggestion.column, add_tests: [test] }]
          },
          `Add ${suggestion.test} to ${suggestion.column}?`,
          false
        );
        return outcome === 'saved';
      } catch (error) {
        showError(error, 'Cannot add the test');
        return false;
      }
    };
    const name = uniqueId.split('.').pop() ?? uniqueId;
    await showDialog({
      title: `Suggested tests for ${name}`,
      body: new SuggestionsBody({
        project,
        node: uniqueId,
        canAdd: current.allow_edits && mayEdit(),
        disabledMessage: current.allow_edits
          ? deniedText(model.permissions, 'edit_metadata')
          : current.message,
        onAdd
      }),
      buttons: [Dialog.okButton({ label: 'Close' })]
    });
  };

  const target = (args: Record<string, unknown>) => ({
    project: (args.project as string | undefined) ?? model.currentProjectId,
    uniqueId: args.uniqueId as string | undefined
  });

  commands.addCommand(CommandIDs.editMetadata, {
    label: 'Edit Metadata…',
    caption: () =>
      permissionTitle(
        model.permissions,
        'edit_metadata',
        "Edit the node's description, tags, owner and columns in its YAML"
      ),
    isEnabled: mayEdit,
    execute: async args => {
      const { project, uniqueId } = target(args);
      if (project && uniqueId) {
        try {
          await editMetadata(project, uniqueId);
        } catch (error) {
          showError(error, 'Cannot edit the metadata');
        }
      }
    }
  });

  commands.addCommand(CommandIDs.suggestTests, {
    label: 'Suggest Tests…',
    caption: "Profile the node's columns and suggest the tests its data passes",
    execute: async args => {
      const { project, uniqueId } = target(args);
      if (project && uniqueId) {
        await suggestTests(project, uniqueId);
      }
    }
  });

  const addNodeToolbar = (widget: MainAreaWidget<NodePage>): void => {
    const page = widget.content;
    let added = false;
    page.loaded.connect((_, node) => {
      if (added || !EDITABLE.includes(node.resource_type)) {
        return;
      }
      added = true;
      const args = { project: page.project, uniqueId: node.unique_id };
      void loadSettings().then(current => {
        if (current.allow_edits) {
          widget.toolbar.addItem(
            'dbt-edit-metadata',
            new ToolbarButton({
              label: 'Edit metadata',
              enabled: mayEdit(),
              tooltip: permissionTitle(
                model.permissions,
                'edit_metadata',
                'Edit the description, tags, owner and columns'
              ),
              onClick: () =>
                void commands.execute(CommandIDs.editMetadata, args)
            })
          );
        }
        if (PROFILED.includes(node.resource_type)) {
          widget.toolbar.addItem(
            'dbt-suggest-tests',
            new ToolbarButton({
              label: 'Suggest tests',
              tooltip: 'Profile the columns and suggest tests the data passes',
              onClick: () =>
                void commands.execute(CommandIDs.suggestTests, args)
            })
          );
        }
      });
    });
  };

  return { addNodeToolbar };
}

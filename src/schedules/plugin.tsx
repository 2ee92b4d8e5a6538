/**
 * The schedules part of the workbench: the Schedules panel and editor, their
 * commands, launcher and palette entries, and a side-panel toolbar button.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd
} from '@jupyterlab/application';
import {
  Dialog,
  ICommandPalette,
  MainAreaWidget,
  Notification,
  showDialog,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { SidePanel, ToolbarButton } from '@jupyterlab/ui-components';

import { WorkbenchModel } from '../model/workbench';
import { errorMessage } from '../notify';
import { can, permissionTitle } from '../permissions';
import { CommandIDs } from '../tokens';
import {
  deleteSchedule,
  fetchExecutions,
  runScheduleNow,
  updateSchedule
} from './api';
import { emptyForm, formFromSchedule } from './form';
import { SchedulesModel } from './model';
import {
  createEditorPanel,
  createSchedulesPanel,
  editorId,
  scheduleIcon,
  SCHEDULES_ID
} from './panel';
import type { IScheduleActions } from './SchedulesView';
import { userTimeZone } from './time';
import type { ISchedule, IScheduleExecution } from './types';

/** The palette category of the workbench commands. */
const CATEGORY = 'dbt Workbench';

/** How long Run now waits for the execution's first dbt run to start, in ms. */
const FIRST_RUN_WAIT_MS = 20000;

/** Options of {@link activateSchedules}. */
export interface ISchedulesOptions {
  app: JupyterFrontEnd;
  shell: ILabShell;
  model: WorkbenchModel;
  palette: ICommandPalette | null;
  launcher: ILauncher | null;
  restorer: ILayoutRestorer | null;
}

/** What the rest of the workbench plugs in. */
export interface ISchedulesHooks {
  /** Add a Schedules button to the side panel's toolbar. */
  addSidebarButton: (panel: SidePanel) => void;
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function ended(execution: IScheduleExecution): boolean {
  return execution.status !== 'queued' && execution.status !== 'running';
}

/** Register the schedules commands, panels and their restoration. */
export function activateSchedules(options: ISchedulesOptions): ISchedulesHooks {
  const { app, shell, model, palette, launcher, restorer } = options;
  const { commands } = app;
  const schedules = new SchedulesModel();
  const userZone = userTimeZone();
  const panels = new WidgetTracker<MainAreaWidget>({
    namespace: 'dbt-workbench-schedules'
  });
  const editors = new WidgetTracker<MainAreaWidget>({
    namespace: 'dbt-workbench-schedule-editor'
  });

  model.permissionsChanged.connect(() =>
    commands.notifyCommandChanged(CommandIDs.newSchedule)
  );

  const openRun = (id: string): void =>
    void commands.execute(CommandIDs.openRun, { id });

  const openEditor = (schedule: ISchedule | null): void => {
    const id = editorId(schedule?.id ?? null);
    const existing = editors.find(widget => widget.id === id);
    if (existing) {
      shell.activateById(existing.id);
      return;
    }
    const project = model.currentProjectId ?? model.projects[0]?.id ?? '';
    const widget = createEditorPanel({
      workbench: model,
      scheduleId: schedule?.id ?? null,
      initial: schedule
        ? formFromSchedule(schedule)
        : emptyForm(project, userZone),
      userZone,
      onSaved: saved => {
        schedules.upsert(saved);
        Notification.success(
          schedule
            ? `Schedule "${saved.name}" saved.`
            : `Schedule "${saved.name}" created.`,
          { autoClose: 5000 }
        );
        void commands.execute(CommandIDs.openSchedules);
      }
    });
    void editors.add(widget);
    shell.add(widget, 'main');
    shell.activateById(widget.id);
  };

  /** Start an execution and announce it with a link to its first run. */
  const runNow = async (schedule: ISchedule): Promise<void> => {
    const notice = Notification.emit(
      `Starting schedule "${schedule.name}"…`,
      'in-progress',
      { autoClose: false }
    );
    try {
      let execution = await runScheduleNow(schedule.id);
      // The execution submits its first dbt run in the background: wait a
      // little for its id so the notification can link to the run page.
      const deadline = Date.now() + FIRST_RUN_WAIT_MS;
      while (
        execution.run_ids.length === 0 &&
        !ended(execution) &&
        Date.now() < deadline
      ) {
        await sleep(1000);
        const listed = await fetchExecutions(schedule.id, 10);
        execution = listed.find(item => item.id === execution.id) ?? execution;
      }
      const runId = execution.run_ids[0];
      const failed = ['failed', 'timeout', 'cancelled'].includes(
        execution.status
      );
      Notification.update({
        id: notice,
        message: failed
          ? `Schedule "${schedule.name}" ${execution.status}: ${execution.message ?? ''}`
          : `Schedule "${schedule.name}" is ${execution.status === 'queued' ? 'queued' : 'running'}.`,
        type: failed ? 'error' : 'success',
        autoClose: failed ? 15000 : 8000,
        actions: runId
          ? [
              {
                label: 'Open run',
                caption: `Open the page of run ${runId}`,
                callback: () => openRun(runId)
              }
            ]
          : []
      });
    } catch (error) {
      Notification.update({
        id: notice,
        message: `Cannot run "${schedule.name}": ${errorMessage(error)}`,
        type: 'error',
        autoClose: 15000
      });
    }
    void schedules.refresh();
  };

  const setEnabled = async (
    schedule: ISchedule,
    enabled: boolean
  ): Promise<void> => {
    try {
      // An update keeps every field it is not given.
      schedules.upsert(await updateSchedule(schedule.id, { enabled }));
      Notification.info(
        enabled
          ? `Schedule "${schedule.name}" resumed.`
          : `Schedule "${schedule.name}" paused.`,
        { autoClose: 4000 }
      );
    } catch (error) {
      Notification.error(
        `Cannot ${enabled ? 'resume' : 'pause'} "${schedule.name}": ${errorMessage(error)}`,
        { autoClose: 15000 }
      );
    }
  };

  const remove = async (schedule: ISchedule): Promise<void> => {
    const answer = await showDialog({
      title: 'Delete schedule',
      body: `Delete "${schedule.name}"? It stops running and its execution history is deleted; past dbt runs stay in the run history.`,
      buttons: [Dialog.cancelButton(), Dialog.warnButton({ label: 'Delete' })]
    });
    if (!answer.button.accept) {
      return;
    }
    try {
      await deleteSchedule(schedule.id);
      schedules.remove(schedule.id);
      editors.find(widget => widget.id === editorId(schedule.id))?.close();
      Notification.info(`Schedule "${schedule.name}" deleted.`, {
        autoClose: 4000
      });
    } catch (error) {
      Notification.error(
        `Cannot delete "${schedule.name}": ${errorMessage(error)}`,
        { autoClose: 15000 }
      );
    }
  };

  const actions: IScheduleActions = {
    create: () => openEditor(null),
    edit: schedule => openEditor(schedule),
    setEnabled,
    runNow,
    remove,
    openRun
  };

  commands.addCommand(CommandIDs.openSchedules, {
    label: args => (args.isLauncher ? 'dbt Schedules' : 'Open dbt Schedules'),
    caption: 'Run dbt commands on a cron, with retries and notifications',
    icon: scheduleIcon,
    execute: () => {
      const existing = panels.find(widget => widget.id === SCHEDULES_ID);
      if (existing) {
        shell.activateById(existing.id);
        void schedules.refresh();
        return;
      }
      const widget = createSchedulesPanel({
        schedules,
        workbench: model,
        userZone,
        actions
      });
      void panels.add(widget);
      shell.add(widget, 'main');
      shell.activateById(widget.id);
    }
  });

  commands.addCommand(CommandIDs.newSchedule, {
    label: 'New dbt Schedule…',
    caption: () =>
      permissionTitle(
        model.permissions,
        'edit_schedules',
        'Create a schedule that runs dbt commands on a cron'
      ),
    icon: scheduleIcon,
    isEnabled: () => can(model.permissions, 'edit_schedules'),
    execute: () => openEditor(null)
  });

  if (palette) {
    for (const command of [CommandIDs.openSchedules, CommandIDs.newSchedule]) {
      palette.addItem({ command, category: CATEGORY });
    }
  }
  launcher?.add({
    command: CommandIDs.openSchedules,
    category: 'Other',
    args: { isLauncher: true }
  });
  if (restorer) {
    void restorer.restore(panels, {
      command: CommandIDs.openSchedules,
      name: () => SCHEDULES_ID
    });
  }

  return {
    addSidebarButton: panel => {
      panel.toolbar.addItem(
        'schedules',
        new ToolbarButton({
          icon: scheduleIcon,
          className: 'jp-DbtWorkbench-openSchedules',
          tooltip: 'Open the dbt schedules',
          onClick: () => void commands.execute(CommandIDs.openSchedules)
        })
      );
    }
  };
}

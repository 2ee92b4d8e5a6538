/**
 * The Schedules panel and the schedule editor as main-area widgets.
 */
import { MainAreaWidget } from '@jupyterlab/apputils';
import { LabIcon, ReactWidget } from '@jupyterlab/ui-components';
import React from 'react';

import { WorkbenchModel } from '../model/workbench';
import { IScheduleForm } from './form';
import { SchedulesModel } from './model';
import { ScheduleEditor } from './ScheduleEditor';
import { IScheduleActions, SchedulesView } from './SchedulesView';
import type { ISchedule } from './types';

/** The id of the Schedules main-area widget. */
export const SCHEDULES_ID = 'dbt-workbench-schedules';

/** A clock face; `jp-icon3` lets the theme colour it. */
export const scheduleIcon = new LabIcon({
  name: 'dbt-workbench:schedule',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<path class="jp-icon3" fill="#616161" d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16zm.5-13H11v6l5.2 3.1.8-1.2-4.5-2.7z"/>' +
    '</svg>'
});

/** The id of the editor of a schedule (or of the new one). */
export function editorId(scheduleId: string | null): string {
  return `dbt-workbench-schedule-editor:${scheduleId ?? 'new'}`;
}

/** Options of {@link createSchedulesPanel}. */
export interface ISchedulesPanelOptions {
  schedules: SchedulesModel;
  workbench: WorkbenchModel;
  userZone: string;
  actions: IScheduleActions;
}

/** The Schedules list as a main-area widget. */
export function createSchedulesPanel(
  options: ISchedulesPanelOptions
): MainAreaWidget {
  const content = ReactWidget.create(<SchedulesView {...options} />);
  content.addClass('jp-DbtWorkbench-schedules');
  const widget = new MainAreaWidget({ content });
  widget.id = SCHEDULES_ID;
  widget.title.label = 'dbt Schedules';
  widget.title.icon = scheduleIcon;
  widget.title.closable = true;
  return widget;
}

/** Options of {@link createEditorPanel}. */
export interface IEditorPanelOptions {
  workbench: WorkbenchModel;
  scheduleId: string | null;
  initial: IScheduleForm;
  userZone: string;
  onSaved: (schedule: ISchedule) => void;
}

/** The editor of one schedule as a main-area widget; closes itself when done. */
export function createEditorPanel(
  options: IEditorPanelOptions
): MainAreaWidget {
  let widget: MainAreaWidget | null = null;
  const content = ReactWidget.create(
    <ScheduleEditor
      model={options.workbench}
      scheduleId={options.scheduleId}
      initial={options.initial}
      userZone={options.userZone}
      onSaved={schedule => {
        options.onSaved(schedule);
        widget?.close();
      }}
      onCancel={() => widget?.close()}
    />
  );
  content.addClass('jp-DbtWorkbench-schedEditorPanel');
  widget = new MainAreaWidget({ content });
  widget.id = editorId(options.scheduleId);
  widget.title.label = options.scheduleId
    ? `Schedule: ${options.initial.name}`
    : 'New dbt Schedule';
  widget.title.icon = scheduleIcon;
  widget.title.closable = true;
  return widget;
}

import { MainAreaWidget } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import React from 'react';

import {
  DashboardView,
  IDashboardViewProps
} from '../components/DashboardView';
import { dbtIcon } from '../icons';
import { DASHBOARD_ID } from '../tokens';

/** The project health dashboard as a main-area widget. */
export function createDashboard(props: IDashboardViewProps): MainAreaWidget {
  const content = ReactWidget.create(<DashboardView {...props} />);
  content.addClass('jp-DbtWorkbench-dashboard');
  const widget = new MainAreaWidget({ content });
  widget.id = DASHBOARD_ID;
  widget.title.label = 'dbt Project Health';
  widget.title.icon = dbtIcon;
  widget.title.closable = true;
  return widget;
}

import { MainAreaWidget } from '@jupyterlab/apputils';
import { ReactWidget } from '@jupyterlab/ui-components';
import React from 'react';

import { OverviewView } from '../components/OverviewView';
import { dbtIcon } from '../icons';
import { WorkbenchModel } from '../model/workbench';
import { OVERVIEW_ID } from '../tokens';

/** The overview page of every project the server found. */
export function createOverview(model: WorkbenchModel): MainAreaWidget {
  const content = ReactWidget.create(<OverviewView model={model} />);
  content.addClass('jp-DbtWorkbench-overview');
  const widget = new MainAreaWidget({ content });
  widget.id = OVERVIEW_ID;
  widget.title.label = 'dbt Workbench';
  widget.title.icon = dbtIcon;
  widget.title.closable = true;
  return widget;
}

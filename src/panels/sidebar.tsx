import {
  launcherIcon,
  ReactWidget,
  refreshIcon,
  SidePanel,
  Toolbar,
  ToolbarButton
} from '@jupyterlab/ui-components';
import { Panel } from '@lumino/widgets';
import React from 'react';

import { SidebarView } from '../components/SidebarView';
import { dbtIcon } from '../icons';
import { WorkbenchModel } from '../model/workbench';
import { GroupBy, INodeSummary, SIDEBAR_ID } from '../tokens';

/** Options of {@link createSidebar}. */
export interface ISidebarOptions {
  model: WorkbenchModel;
  onOpen: (project: string, node: INodeSummary) => void;
  onGroupByChange: (groupBy: GroupBy) => void;
  onRefresh: () => void;
  onOverview: () => void;
  /** Extra controls on each node row (run buttons). */
  nodeActions?: (project: string, node: INodeSummary) => React.ReactNode;
  /** The project-wide search box shown above the tree's controls. */
  searchBox?: (project: string | null, version: string) => React.ReactNode;
}

/** The left "dbt" panel: a toolbar over the project tree. */
export function createSidebar(options: ISidebarOptions): SidePanel {
  const panel = new SidePanel({ content: new Panel(), toolbar: new Toolbar() });
  panel.id = SIDEBAR_ID;
  panel.addClass('jp-DbtWorkbench-sidebar');
  panel.title.icon = dbtIcon;
  panel.title.caption = 'dbt Workbench';

  panel.toolbar.addItem(
    'overview',
    new ToolbarButton({
      icon: launcherIcon,
      tooltip: 'Open the dbt Workbench overview',
      onClick: options.onOverview
    })
  );
  panel.toolbar.addItem(
    'refresh',
    new ToolbarButton({
      icon: refreshIcon,
      className: 'jp-DbtWorkbench-refresh',
      tooltip: 'Look for dbt projects again and reload',
      onClick: options.onRefresh
    })
  );

  const body = ReactWidget.create(
    <SidebarView
      model={options.model}
      onOpen={options.onOpen}
      onGroupByChange={options.onGroupByChange}
      nodeActions={options.nodeActions}
      searchBox={options.searchBox}
    />
  );
  body.addClass('jp-DbtWorkbench-sidebarContent');
  panel.addWidget(body);
  return panel;
}

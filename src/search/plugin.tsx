/**
 * Search: the side panel's search box, the full search page, its command
 * (palette and keyboard shortcut) and its layout restoration.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd
} from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  WidgetTracker
} from '@jupyterlab/apputils';
import { searchIcon } from '@jupyterlab/ui-components';
import React from 'react';

import { WorkbenchModel } from '../model/workbench';
import { CommandIDs } from '../tokens';
import { createSearchPage, SEARCH_PAGE_ID, SearchRequest } from './page';
import { SearchBox } from './SearchBox';

/** The palette category of the workbench commands. */
const CATEGORY = 'dbt Workbench';

/** Options of {@link activateSearch}. */
export interface ISearchOptions {
  app: JupyterFrontEnd;
  shell: ILabShell;
  model: WorkbenchModel;
  palette: ICommandPalette | null;
  restorer: ILayoutRestorer | null;
  openNode: (project: string, uniqueId: string) => void;
}

/** What the rest of the workbench plugs in. */
export interface ISearchHooks {
  /** The side panel's search box for a project (null: none selected). */
  searchBox: (project: string | null, version: string) => React.ReactNode;
}

/** Register the search command and its page; return the side panel's box. */
export function activateSearch(options: ISearchOptions): ISearchHooks {
  const { app, shell, model, palette, restorer, openNode } = options;
  const { commands } = app;
  const request = new SearchRequest();
  const tracker = new WidgetTracker<MainAreaWidget>({
    namespace: 'dbt-workbench-search'
  });

  commands.addCommand(CommandIDs.search, {
    label: args =>
      args.query
        ? `Search dbt Project for “${args.query}”`
        : 'Search dbt Project',
    caption:
      'Find any node, macro or column by name, description, tag, owner or SQL',
    icon: searchIcon,
    execute: args => {
      const query = args.query as string | undefined;
      const project = args.project as string | undefined;
      // Without a project the page follows the side panel's project.
      if (query !== undefined || project !== undefined) {
        request.set(query ?? request.query, project ?? null);
      }
      let widget = tracker.find(item => item.id === SEARCH_PAGE_ID);
      if (!widget) {
        widget = createSearchPage({ model, request, onOpen: openNode });
        void tracker.add(widget);
        shell.add(widget, 'main');
      }
      shell.activateById(widget.id);
    }
  });

  palette?.addItem({ command: CommandIDs.search, category: CATEGORY });
  if (restorer) {
    void restorer.restore(tracker, {
      command: CommandIDs.search,
      args: () => ({
        query: request.query,
        ...(request.project ? { project: request.project } : {})
      }),
      name: () => SEARCH_PAGE_ID
    });
  }

  return {
    searchBox: (project, version) => (
      <SearchBox
        project={project}
        version={version}
        onOpen={openNode}
        onSeeAll={(_, query) =>
          void commands.execute(CommandIDs.search, { query })
        }
      />
    )
  };
}

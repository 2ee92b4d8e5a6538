import {
  buildIcon,
  checkIcon,
  ellipsesIcon,
  LabIcon,
  runIcon
} from '@jupyterlab/ui-components';
import React from 'react';

import { actionLabel, nodeCommands } from '../model/runs';

/** The icon of each dbt command a node action runs. */
function commandIcon(command: string): LabIcon {
  switch (command) {
    case 'build':
      return buildIcon;
    case 'test':
      return checkIcon;
    default:
      return runIcon;
  }
}

/** Props of {@link RunNodeButtons}. */
export interface IRunNodeButtonsProps {
  node: { unique_id: string; name: string; resource_type: string };
  /** Run a command on the node alone. */
  onRun: (command: string) => void;
  /** Open the menu with every action (upstream / downstream variants). */
  onMenu: (event: React.MouseEvent<HTMLButtonElement>) => void;
  /** Icon-only buttons (side panel rows) instead of labelled ones. */
  compact?: boolean;
  /** When set, every button is disabled with this tooltip (e.g. the role). */
  disabledTitle?: string;
}

/**
 * Run / Build / Test buttons for one node (only the commands that do
 * something for its type), and a menu button for the `+upstream` and
 * `downstream+` variants.
 */
export function RunNodeButtons(
  props: IRunNodeButtonsProps
): JSX.Element | null {
  const commands = nodeCommands(props.node.resource_type);
  if (commands.length === 0) {
    return null;
  }
  // Clicks must not reach the tree row, which would open the node's page.
  const stop = (event: React.SyntheticEvent): void => event.stopPropagation();
  return (
    <span
      className="jp-DbtWorkbench-runButtons"
      data-compact={props.compact ? 'true' : undefined}
      onClick={stop}
      onKeyDown={stop}
    >
      {commands.map(command => {
        const Icon = commandIcon(command);
        const label = actionLabel(command, 'node');
        return (
          <button
            key={command}
            className="jp-DbtWorkbench-runButton"
            data-command={command}
            disabled={props.disabledTitle !== undefined}
            title={
              props.disabledTitle ?? `dbt ${command} -s ${props.node.name}`
            }
            aria-label={`${label} ${props.node.name}`}
            onClick={() => props.onRun(command)}
          >
            <Icon.react tag="span" className="jp-DbtWorkbench-runButtonIcon" />
            {props.compact ? null : <span>{label}</span>}
          </button>
        );
      })}
      <button
        className="jp-DbtWorkbench-runButton jp-DbtWorkbench-runMenuButton"
        disabled={props.disabledTitle !== undefined}
        title={props.disabledTitle ?? 'More: with upstream or downstream nodes'}
        aria-label={`More run actions for ${props.node.name}`}
        aria-haspopup="menu"
        onClick={props.onMenu}
      >
        <ellipsesIcon.react
          tag="span"
          className="jp-DbtWorkbench-runButtonIcon"
        />
      </button>
    </span>
  );
}

import React from 'react';

import type { IProjectSummary } from '../tokens';

/** Props of {@link ProjectPicker}. */
export interface IProjectPickerProps {
  projects: readonly IProjectSummary[];
  value: string | null;
  onChange: (projectId: string) => void;
}

/** Choose the project to browse; disabled when there is only one. */
export function ProjectPicker(props: IProjectPickerProps): JSX.Element {
  return (
    <label className="jp-DbtWorkbench-field">
      <span>Project</span>
      <select
        className="jp-DbtWorkbench-projectPicker jp-mod-styled"
        value={props.value ?? ''}
        disabled={props.projects.length < 2}
        onChange={event => props.onChange(event.target.value)}
      >
        {props.projects.map(project => (
          <option key={project.id} value={project.id}>
            {project.id === '.' || project.id === project.name
              ? project.name
              : `${project.name} (${project.id})`}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Small formatting helpers shared by the views.
 */

/** A timestamp as local date and time; '' for null, the input if invalid. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** A duration in seconds, e.g. `0.42 s`, `3.1 s`, `2 min 5 s`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) {
    return '';
  }
  if (seconds < 10) {
    return `${seconds.toFixed(2)} s`;
  }
  if (seconds < 60) {
    return `${seconds.toFixed(1)} s`;
  }
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  if (minutes < 60) {
    return `${minutes} min ${rest} s`;
  }
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** An age in seconds as hours (under two days) or days, e.g. `30.0 h`. */
export function formatAge(seconds: number | null): string {
  if (seconds === null) {
    return '';
  }
  const hours = seconds / 3600;
  return hours < 48
    ? `${hours.toFixed(1)} h`
    : `${(hours / 24).toFixed(1)} days`;
}

/** A size in bytes, e.g. `12.3 kB`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) {
    return '';
  }
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * The path of a project file relative to the server root, as JupyterLab's
 * document manager expects it.
 */
export function serverPath(projectPath: string, filePath: string): string {
  if (!projectPath || projectPath === '.') {
    return filePath;
  }
  return `${projectPath.replace(/\/+$/, '')}/${filePath}`;
}

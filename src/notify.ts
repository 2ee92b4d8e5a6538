import { Notification } from '@jupyterlab/apputils';

import { WorkbenchAPIError } from './request';

/** How long the same message stays quiet after it was shown. */
const QUIET_MS = 5 * 60 * 1000;

const shown = new Map<string, number>();

/** The user-facing sentence for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof WorkbenchAPIError || error instanceof Error) {
    return error.message;
  }
  return String(error);
}

/**
 * Show a failure as a JupyterLab notification.
 *
 * A poll that fails every few seconds must not bury the user in identical
 * toasts, so a message already shown recently is skipped until
 * {@link clearShownErrors} is called (after a success) or the quiet period ends.
 */
export function showError(error: unknown, context?: string): void {
  const message = context
    ? `${context}: ${errorMessage(error)}`
    : errorMessage(error);
  const now = Date.now();
  const last = shown.get(message);
  if (last !== undefined && now - last < QUIET_MS) {
    return;
  }
  shown.set(message, now);
  Notification.error(message, { autoClose: 10000 });
}

/** Forget shown messages so the next failure is reported again. */
export function clearShownErrors(): void {
  shown.clear();
}

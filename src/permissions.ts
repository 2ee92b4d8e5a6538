/**
 * What the user's role allows (`GET permissions`), and the wording the UI
 * uses when it disables something the role forbids.
 *
 * The server refuses forbidden requests anyway; this only spares the user
 * buttons that would fail with a 403.
 */
import { requestAPI } from './request';

/** The roles the server's authorizer knows. */
export type Role = 'viewer' | 'developer' | 'admin';

/** The things a role may or may not do. */
export type Action =
  | 'run_dbt'
  | 'edit_schedules'
  | 'edit_metadata'
  | 'git_write'
  | 'sql_write'
  | 'admin';

/** The answer of `GET permissions`. */
export interface IPermissions {
  user: string;
  role: Role;
  can: Record<Action, boolean>;
}

/** Every action, in a stable order. */
export const ACTIONS: readonly Action[] = [
  'run_dbt',
  'edit_schedules',
  'edit_metadata',
  'git_write',
  'sql_write',
  'admin'
];

/** The end of "Your role (viewer) cannot …" for each action. */
const ACTION_PHRASES: Record<Action, string> = {
  run_dbt: 'run dbt',
  edit_schedules: 'change schedules',
  edit_metadata: 'edit metadata',
  git_write: 'change the Git repository',
  sql_write: 'run SQL that writes',
  admin: 'change server settings'
};

/**
 * What a server without the `permissions` route (an older version, or one
 * that failed to answer) is assumed to allow: everything it allowed before
 * roles existed. SQL writes stay off because such a server refuses them
 * unless configured otherwise, and saying so is the safer mistake.
 */
export const FALLBACK_PERMISSIONS: IPermissions = {
  user: '',
  role: 'developer',
  can: {
    run_dbt: true,
    edit_schedules: true,
    edit_metadata: true,
    git_write: true,
    sql_write: false,
    admin: false
  }
};

/** Whether the permissions allow an action. */
export function can(permissions: IPermissions, action: Action): boolean {
  return permissions.can[action] === true;
}

/** The sentence explaining why an action is refused, e.g. for a tooltip. */
export function deniedText(permissions: IPermissions, action: Action): string {
  // An admin's role allows everything: a refusal comes from the server's
  // settings (e.g. `allow_sql_writes` off), and blaming the role would mislead.
  if (permissions.role === 'admin') {
    return `The server's settings do not allow anyone to ${ACTION_PHRASES[action]}`;
  }
  return `Your role (${permissions.role}) cannot ${ACTION_PHRASES[action]}`;
}

/**
 * A tooltip for a control: `allowed` when the role permits the action,
 * the refusal sentence otherwise.
 */
export function permissionTitle(
  permissions: IPermissions,
  action: Action,
  allowed: string
): string;
export function permissionTitle(
  permissions: IPermissions,
  action: Action
): string | undefined;
export function permissionTitle(
  permissions: IPermissions,
  action: Action,
  allowed?: string
): string | undefined {
  return can(permissions, action) ? allowed : deniedText(permissions, action);
}

/**
 * Read a `GET permissions` body defensively: an unknown role or a missing
 * flag falls back to the pre-roles defaults rather than breaking the UI.
 */
export function parsePermissions(body: unknown): IPermissions {
  if (typeof body !== 'object' || body === null) {
    return FALLBACK_PERMISSIONS;
  }
  const value = body as Partial<IPermissions>;
  const role: Role =
    value.role === 'viewer' ||
    value.role === 'developer' ||
    value.role === 'admin'
      ? value.role
      : FALLBACK_PERMISSIONS.role;
  const flags = (value.can ?? {}) as Partial<Record<Action, unknown>>;
  const result = { ...FALLBACK_PERMISSIONS.can };
  for (const action of ACTIONS) {
    if (typeof flags[action] === 'boolean') {
      result[action] = flags[action] as boolean;
    }
  }
  return {
    user: typeof value.user === 'string' ? value.user : '',
    role,
    can: result
  };
}

/**
 * The current user's permissions; {@link FALLBACK_PERMISSIONS} when the
 * server cannot tell (e.g. 404 from a server older than roles).
 */
export async function fetchPermissions(
  request: () => Promise<unknown> = () => requestAPI<unknown>('permissions')
): Promise<IPermissions> {
  try {
    return parsePermissions(await request());
  } catch (error) {
    console.warn('dbt Workbench: cannot read the permissions', error);
    return FALLBACK_PERMISSIONS;
  }
}

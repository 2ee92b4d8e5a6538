import {
  ACTIONS,
  can,
  deniedText,
  FALLBACK_PERMISSIONS,
  fetchPermissions,
  IPermissions,
  parsePermissions,
  permissionTitle
} from '../permissions';
import { WorkbenchAPIError } from '../request';

const VIEWER: IPermissions = {
  user: 'vera',
  role: 'viewer',
  can: {
    run_dbt: false,
    edit_schedules: false,
    edit_metadata: false,
    git_write: false,
    sql_write: false,
    admin: false
  }
};

const ADMIN: IPermissions = {
  user: 'ada',
  role: 'admin',
  can: {
    run_dbt: true,
    edit_schedules: true,
    edit_metadata: true,
    git_write: true,
    sql_write: true,
    admin: true
  }
};

describe('can', () => {
  it('follows the flags the server sent', () => {
    for (const action of ACTIONS) {
      expect(can(VIEWER, action)).toBe(false);
      expect(can(ADMIN, action)).toBe(true);
    }
  });
});

describe('tooltips', () => {
  it('names the role and what it cannot do', () => {
    expect(deniedText(VIEWER, 'run_dbt')).toBe(
      'Your role (viewer) cannot run dbt'
    );
    expect(deniedText(VIEWER, 'edit_schedules')).toBe(
      'Your role (viewer) cannot change schedules'
    );
    expect(deniedText({ ...VIEWER, role: 'developer' }, 'sql_write')).toBe(
      'Your role (developer) cannot run SQL that writes'
    );
  });

  it("blames the server's settings, not the role, for an admin", () => {
    const noWrites = { ...ADMIN, can: { ...ADMIN.can, sql_write: false } };
    expect(permissionTitle(noWrites, 'sql_write')).toBe(
      "The server's settings do not allow anyone to run SQL that writes"
    );
  });

  it('keeps the usual tooltip when the role may act', () => {
    expect(permissionTitle(ADMIN, 'git_write', 'Push main')).toBe('Push main');
    expect(permissionTitle(ADMIN, 'git_write')).toBeUndefined();
    expect(permissionTitle(VIEWER, 'git_write', 'Push main')).toBe(
      'Your role (viewer) cannot change the Git repository'
    );
  });
});

describe('parsePermissions', () => {
  it('reads a complete answer as is', () => {
    expect(parsePermissions(VIEWER)).toEqual(VIEWER);
    expect(parsePermissions(ADMIN)).toEqual(ADMIN);
  });

  it('fills missing or malformed flags from the fallback', () => {
    const parsed = parsePermissions({
      user: 'dev',
      role: 'developer',
      can: { run_dbt: false, git_write: 'yes' }
    });
    expect(parsed.can.run_dbt).toBe(false);
    expect(parsed.can.git_write).toBe(true);
    expect(parsed.can.sql_write).toBe(false);
  });

  it('does not trust an unknown role or a non-object body', () => {
    expect(parsePermissions({ role: 'root', can: {} }).role).toBe('developer');
    expect(parsePermissions('nope')).toEqual(FALLBACK_PERMISSIONS);
    expect(parsePermissions(null)).toEqual(FALLBACK_PERMISSIONS);
  });
});

describe('fetchPermissions', () => {
  beforeEach(() => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it("returns the server's answer", async () => {
    await expect(
      fetchPermissions(() => Promise.resolve(VIEWER))
    ).resolves.toEqual(VIEWER);
  });

  it('allows everything but SQL writes when the route is missing', async () => {
    const missing = () =>
      Promise.reject(new WorkbenchAPIError('Not Found', 404, 'not_found'));
    const permissions = await fetchPermissions(missing);
    expect(permissions).toEqual(FALLBACK_PERMISSIONS);
    expect(can(permissions, 'run_dbt')).toBe(true);
    expect(can(permissions, 'edit_schedules')).toBe(true);
    expect(can(permissions, 'edit_metadata')).toBe(true);
    expect(can(permissions, 'git_write')).toBe(true);
    expect(can(permissions, 'sql_write')).toBe(false);
  });

  it('falls back too when the server cannot be reached', async () => {
    const down = () =>
      Promise.reject(new WorkbenchAPIError('Down', 0, 'network_error'));
    await expect(fetchPermissions(down)).resolves.toEqual(FALLBACK_PERMISSIONS);
  });
});

"""A jupyter_server Authorizer that gives each user a workbench role: viewer, developer or admin.

Enable it in ``jupyter_server_config.py``::

    c.ServerApp.authorizer_class = (
        "jupyterlab_dbt_workbench.server.authorizer.DbtWorkbenchAuthorizer"
    )
    c.DbtWorkbenchAuthorizer.admin_users = {"ada"}
    c.DbtWorkbenchAuthorizer.viewer_groups = {"analysts"}
    c.DbtWorkbenchAuthorizer.default_role = "viewer"

It rules only on the workbench's resources (``dbt_workbench`` and ``dbt_workbench:<area>``);
everything else (files, kernels, terminals, JupyterLab itself) gets jupyter_server's default
answer, so JupyterLab behaves as without it.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.authorizer import AllowAllAuthorizer
from traitlets import Enum, Set, Unicode

from .permissions import ACTION_ROLES, ROLES, Role, rank

RESOURCE_PREFIX = "dbt_workbench"


def is_workbench_resource(resource: str) -> bool:
    """Whether ``resource`` names the workbench (``dbt_workbench`` or ``dbt_workbench:<area>``)."""
    return resource == RESOURCE_PREFIX or resource.startswith(RESOURCE_PREFIX + ":")


def user_groups(user: Any) -> frozenset[str]:
    """The groups a Jupyter user belongs to, as far as the identity provider tells.

    JupyterHub's single-user server gives a ``JupyterHubUser`` whose ``hub_user`` is the hub's
    user model (with ``groups``); other identity providers may set a ``groups`` attribute.
    """
    found: list[str] = []
    hub_user = getattr(user, "hub_user", None)
    if isinstance(hub_user, dict):
        found += hub_user.get("groups") or []
    found += getattr(user, "groups", None) or []
    return frozenset(group for group in found if isinstance(group, str))


def user_name(user: Any) -> str | None:
    """The name roles are matched against: the Jupyter username."""
    if user is None:
        return None
    if isinstance(user, str):
        return user
    return getattr(user, "username", None) or getattr(user, "name", None)


class DbtWorkbenchAuthorizer(AllowAllAuthorizer):
    """Maps users, by name or JupyterHub group, to viewer, developer or admin.

    A user listed in several places gets the highest of those roles; a user listed nowhere
    gets ``default_role``.
    """

    admin_users = Set(
        Unicode(),
        help="User names with the admin role (also SQL that writes).",
    ).tag(config=True)
    developer_users = Set(
        Unicode(),
        help="User names with the developer role (runs, schedules, metadata, Git).",
    ).tag(config=True)
    viewer_users = Set(
        Unicode(),
        help="User names with the viewer role (reads only).",
    ).tag(config=True)
    admin_groups = Set(
        Unicode(),
        help="JupyterHub groups whose members are admins.",
    ).tag(config=True)
    developer_groups = Set(
        Unicode(),
        help="JupyterHub groups whose members are developers.",
    ).tag(config=True)
    viewer_groups = Set(
        Unicode(),
        help="JupyterHub groups whose members are viewers.",
    ).tag(config=True)
    default_role = Enum(
        list(ROLES),
        default_value="developer",
        help=(
            "The role of a user listed nowhere. 'developer' keeps a single-user JupyterLab "
            "working as without roles; a shared deployment (JupyterHub) should use 'viewer'."
        ),
    ).tag(config=True)

    def role_of(self, user: Any) -> Role:
        """The user's workbench role."""
        name = user_name(user)
        groups = user_groups(user)
        lists: tuple[tuple[Role, set[str], set[str]], ...] = (
            ("admin", self.admin_users, self.admin_groups),
            ("developer", self.developer_users, self.developer_groups),
            ("viewer", self.viewer_users, self.viewer_groups),
        )
        listed: list[Role] = []
        for role, names, role_groups in lists:
            if (name is not None and name in names) or groups & role_groups:
                listed.append(role)
        if not listed:
            return self.default_role
        return max(listed, key=rank)

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        """The workbench's resources by role; anything else as jupyter_server's default
        authorizer (``AllowAllAuthorizer``) answers."""
        if not is_workbench_resource(resource):
            return bool(super().is_authorized(handler, user, action, resource))
        needed = ACTION_ROLES.get(action)
        if needed is None:  # an action this table does not know is refused, not guessed
            return False
        return rank(self.role_of(user)) >= rank(needed)

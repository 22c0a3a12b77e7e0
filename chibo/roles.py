"""The three roles of Chibo.

Roles are Django groups with model permissions (created by the migration
``chibo/migrations/0001_roles.py``); code asks for permissions, never for
group names, so an administrator can shape a role in the admin.
"""

from members.models import Member

SECRETARY = "secretary"
LEADER = "leader"
MEMBER = "member"
ROLE_GROUPS = (SECRETARY, LEADER, MEMBER)

# The permission that makes a user the secretary, and the one that opens the
# leaders' summaries (the secretary has it too).
MANAGE_SESSIONS = "thematic.change_thematicsession"
VIEW_SUMMARY = "thematic.view_summary"


def member_of(user) -> Member | None:
    """The Member linked to ``user``, or None for an account without one."""
    if not user.is_authenticated:
        return None
    try:
        return user.member
    except Member.DoesNotExist:
        return None


def role_of(user) -> str | None:
    """The role whose home page ``user`` sees."""
    if user.has_perm(MANAGE_SESSIONS):
        return SECRETARY
    if user.has_perm(VIEW_SUMMARY):
        return LEADER
    if member_of(user) is not None:
        return MEMBER
    return None

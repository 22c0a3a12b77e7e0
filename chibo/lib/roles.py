"""The three roles of Chibo.

Roles are Django groups with model permissions (created by the migration
``chibo/migrations/0001_roles.py``); code asks for permissions, never for
group names, so an administrator can shape a role in the admin.
"""

SECRETARY = "secretary"
LEADER = "leader"
MEMBER = "member"
ROLE_GROUPS = (SECRETARY, LEADER, MEMBER)

# The permission that makes a user the secretary, and the one that opens the
# leaders' summaries (the secretary has it too).
MANAGE_SESSIONS = "thematic.change_thematicsession"
VIEW_SUMMARY = "thematic.view_summary"

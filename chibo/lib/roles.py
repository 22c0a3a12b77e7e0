"""The three roles of Chibo, and every permission name the code asks for.

Roles are Django groups with model permissions (created by the migration
``chibo/migrations/0001_roles.py``); code asks for permissions, never for
group names, so an administrator can shape a role in the admin. Each
permission the code checks is named here once: views, services and
helpers import the name, never type ``"app.codename"`` themselves
(``tests/test_permission_names.py`` holds them to it). Templates read
``perms.app.codename``.
"""

SECRETARY = "secretary"
LEADER = "leader"
MEMBER = "member"
# The roles held in a cell, highest first; a secretary gives them to logins.
ROLE_GROUPS = (SECRETARY, LEADER, MEMBER)
# A committee officer (cán bộ văn phòng, ban tổ chức) is attached to a committee
# node and reads everything at and under it. Inside one of its cells the
# officer reads what a leader reads (the leader's permissions), nothing more.
COMMITTEE = "committee"

# --- Plans and sessions (app label "thematic") ----------------------------------

VIEW_PLAN = "thematic.view_annualplan"
ADD_PLAN = "thematic.add_annualplan"
CHANGE_PLAN = "thematic.change_annualplan"

# Every role of the cell sees the sessions; an account without a role does not.
# It also opens the documents and photos uploaded for them.
VIEW_SESSION = "thematic.view_thematicsession"
ADD_SESSION = "thematic.add_thematicsession"
# Keeping the sessions is the secretary's: the home page and the reminders
# know the secretary by it.
CHANGE_SESSION = "thematic.change_thematicsession"
DELETE_SESSION = "thematic.delete_thematicsession"

# Every member's attendance (leaders and the secretary); a member reads their
# own through their link, without it.
VIEW_ATTENDANCE = "thematic.view_attendance"
CHANGE_ATTENDANCE = "thematic.change_attendance"

ADD_DOCUMENT = "thematic.add_document"
DELETE_DOCUMENT = "thematic.delete_document"

ADD_PHOTO = "thematic.add_photo"
CHANGE_PHOTO = "thematic.change_photo"
DELETE_PHOTO = "thematic.delete_photo"

CHANGE_CONTEST = "thematic.change_contestteam"

# The leaders' summaries, exports and annual report (the secretary has it too);
# a custom permission of ThematicSession's Meta.
VIEW_SUMMARY = "thematic.view_summary"

# What a cell sends its superior committee (its plan, its annual report),
# frozen as sent: the secretary sends, leaders and the secretary read the
# copies sent (given to the roles by chibo/migrations/0004_sending).
SEND_UP = "thematic.add_submission"
VIEW_SENT = "thematic.view_submission"

# --- Members and groups (app label "members") --------------------------------

VIEW_MEMBER = "members.view_member"
ADD_MEMBER = "members.add_member"
CHANGE_MEMBER = "members.change_member"

ADD_EXEMPTION = "members.add_exemption"
CHANGE_EXEMPTION = "members.change_exemption"

VIEW_GROUP = "members.view_partygroup"
ADD_GROUP = "members.add_partygroup"
CHANGE_GROUP = "members.change_partygroup"

# The cell's profile (name, superior committee, chi ủy, place name, number
# symbol): the secretary's. Creating organisations is a superuser's.
CHANGE_CELL_PROFILE = "members.change_organisation"

# The committee's pages: its cells' roll-ups (a custom permission of
# Organisation's Meta, the committee role's).
VIEW_ROLLUP = "members.view_rollup"

# --- Combinations ---------------------------------------------------------------

# The history pages: whoever reads every member's record and attendance.
VIEW_HISTORY = (VIEW_MEMBER, VIEW_ATTENDANCE)

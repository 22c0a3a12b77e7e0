"""Choice labels (get_FOO_display) read from a table kept per language (chibo/choices.py)."""

from django.utils import translation

from members.models import Member
from sessions.models import Attendance


def test_a_choice_reads_in_the_active_language():
    member = Member(full_name="Lò Văn Tú", standing=Member.Standing.FULL)
    with translation.override("vi"):
        assert member.get_standing_display() == "Chính thức"
    with translation.override("en"):
        assert member.get_standing_display() == "Full"
    with translation.override("vi"):
        assert member.get_standing_display() == "Chính thức"


def test_each_value_has_its_own_label_and_an_unknown_value_shows_as_it_is():
    with translation.override("vi"):
        assert Attendance(status="present").get_status_display() == "Có mặt"
        assert Attendance(status="unexcused").get_status_display() == "Vắng không có lý do"
        assert Attendance(status="lost").get_status_display() == "lost"
        assert Member(left_reason="").get_left_reason_display() == ""

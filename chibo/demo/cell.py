"""The demo cell: the party cell of a provincial labour federation.

Modelled on the article the project started from: 30 members in 4 party
groups; in 2020, 7 thematic sessions, one held group by group because of
Covid-19 and two staged contests; fairly complete attendance. The current
year's plan has its past sessions recorded and its next ones planned.

Everything here is keyed on natural keys (names, years, topics) and only ever
created, never overwritten, so loading twice changes nothing and a secretary's
later edits survive a second load.
"""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from chibo.demo.pictures import AWARDS, CONTEST, MEETING, scene_jpeg
from chibo.demo.siblings import SiblingLoader
from chibo.lib.dates import add_months
from chibo.lib.roles import LEADER, MEMBER, SECRETARY
from members.models import Exemption, Member, PartyGroup, Role, single_cell
from members.versions import one_renewal
from sessions.figures import refresh_figures
from sessions.grading import scheme_on
from sessions.models import (
    AnnualPlan,
    Attendance,
    Award,
    ContestTeam,
    Document,
    GroupMeeting,
    Postponement,
    ReportText,
    ResolutionTask,
    Speech,
    TaskReview,
    ThematicSession,
)
from sessions.photos import clean_photo
from sessions.reports.sending import send_report
from sessions.sent import send_plan
from sessions.services import add_photos, grade_session


def points_for(scheme, total) -> dict:
    """``total`` spread over the scheme's criteria in proportion to their maximum, by halves."""
    half = Decimal("0.5")
    points = {
        c.key: (Decimal(total) * c.max_points / scheme.max_score / half).to_integral_value(
            rounding=ROUND_DOWN
        )
        * half
        for c in scheme.criteria
    }
    left = Decimal(total) - sum(points.values())
    for c in scheme.criteria:
        step = min(left, c.max_points - points[c.key])
        points[c.key] += step
        left -= step
    return points


DEMO_PASSWORD = "chibo-demo"  # noqa: S105 - printed for the demo, documented as demo-only
HALL = "Hội trường Liên đoàn Lao động tỉnh"
MEETING_ROOM = "Phòng họp tầng 2, trụ sở Liên đoàn Lao động tỉnh"

# What the cell's documents print besides its name: the superior committee
# (the heading's first line), place name, number symbol.
PROFILE = {
    "superior_name": "Đảng ủy Khối các cơ quan tỉnh",
    "place_name": "Lạng Sơn",
    "number_prefix": "CB",
}

GROUPS = [
    "Tổ 1 – Văn phòng",
    "Tổ 2 – Tổ chức, Kiểm tra",
    "Tổ 3 – Tuyên giáo, Nữ công",
    "Tổ 4 – Chính sách, Pháp luật",
]

S = Member.Standing
P = Member.Position


@dataclass
class DemoMember:
    name: str
    group: int
    joined_party: dt.date
    joined_cell: dt.date
    position: str = P.MEMBER
    standing: str = S.FULL
    # The day made full (chuyển chính thức): probationary from joined_party until then.
    full_member: dt.date | None = None
    # Days from the demo's today to the end of a probation still running: the
    # day admitted follows today, so the secretary's home always lists one.
    probation_ends_in: int | None = None
    login: str = ""
    group_leader: bool = False
    left: tuple | None = None  # (date, reason, note)
    temporary_from: str = ""
    extra: dict = field(default_factory=dict)


def d(year, month, day):
    return dt.date(year, month, day)


MEMBERS = [
    # Tổ 1 – Văn phòng
    DemoMember("Nông Thị Hương", 1, d(2002, 5, 19), d(2010, 3, 1), P.SECRETARY, login=SECRETARY),
    DemoMember("Hoàng Văn Thắng", 1, d(1998, 2, 3), d(2015, 7, 1), P.COMMITTEE, login=LEADER),
    DemoMember("Vi Thị Thu Hà", 1, d(2008, 9, 2), d(2012, 4, 16), group_leader=True),
    DemoMember(
        "Lộc Văn Bình",
        1,
        d(2005, 12, 22),
        d(2009, 8, 1),
        left=(
            d(2021, 3, 15),
            Member.LeaveReason.TRANSFER,
            "Chuyển sinh hoạt đến Chi bộ Sở Lao động – Thương binh và Xã hội",
        ),
    ),
    DemoMember("Hà Thị Ngọc Lan", 1, d(2011, 5, 19), d(2014, 1, 6)),
    DemoMember("Triệu Văn Dũng", 1, d(2001, 3, 26), d(2006, 10, 2)),
    # Admitted in 2019 or 2020: probationary in 2020, full today.
    DemoMember("Bế Thị Mai", 1, d(2019, 11, 5), d(2019, 11, 5), full_member=d(2021, 1, 12)),
    DemoMember("Đinh Văn Sơn", 1, d(2013, 7, 27), d(2018, 2, 1)),
    # Tổ 2 – Tổ chức, Kiểm tra
    DemoMember("Lăng Văn Hùng", 2, d(2000, 8, 19), d(2008, 5, 5), P.DEPUTY_SECRETARY),
    DemoMember("Nguyễn Thị Thanh Huyền", 2, d(2009, 2, 3), d(2013, 9, 9), group_leader=True),
    DemoMember("Hoàng Thị Nga", 2, d(2006, 10, 10), d(2011, 3, 1)),
    DemoMember("Lương Văn Minh", 2, d(2012, 12, 22), d(2016, 6, 1)),
    DemoMember("Chu Thị Hằng", 2, d(2014, 3, 8), d(2017, 8, 14)),
    DemoMember("Dương Văn Khải", 2, d(2003, 9, 2), d(2007, 11, 19)),
    DemoMember("Mã Thị Yến", 2, d(2016, 5, 19), d(2019, 4, 1)),
    DemoMember("Hoàng Minh Đức", 2, d(2020, 3, 2), d(2020, 3, 2), full_member=d(2021, 3, 15)),
    # Tổ 3 – Tuyên giáo, Nữ công
    DemoMember("Lương Văn Tuấn", 3, d(2010, 6, 15), d(2015, 2, 2), login=MEMBER),
    DemoMember("Phùng Thị Hoa", 3, d(2007, 3, 8), d(2010, 9, 1), P.COMMITTEE, group_leader=True),
    DemoMember("Tô Thị Kim Oanh", 3, d(2012, 8, 19), d(2016, 10, 3)),
    DemoMember("La Văn Quý", 3, d(2004, 7, 1), d(2009, 1, 5)),
    DemoMember("Nông Văn Phúc", 3, d(2015, 4, 30), d(2018, 9, 3)),
    DemoMember("Vy Thị Dung", 3, d(2017, 10, 20), d(2019, 6, 17)),
    DemoMember("Hứa Thị Thảo", 3, d(2018, 1, 9), d(2018, 1, 9)),
    # Tổ 4 – Chính sách, Pháp luật
    DemoMember("Trần Văn Long", 4, d(1999, 12, 22), d(2012, 2, 1), P.COMMITTEE, group_leader=True),
    DemoMember("Hoàng Thị Lệ", 4, d(2010, 3, 8), d(2014, 8, 1)),
    DemoMember("Lâm Văn Cường", 4, d(2008, 5, 19), d(2013, 4, 8)),
    # Made full in September 2020: probationary at the year's first sessions.
    DemoMember("Đàm Thị Huệ", 4, d(2019, 8, 19), d(2019, 8, 19), full_member=d(2020, 9, 7)),
    DemoMember("Nguyễn Văn Hải", 4, d(1996, 2, 3), d(2005, 6, 1)),
    DemoMember("Bùi Thị Phương", 4, d(2013, 11, 7), d(2017, 3, 20)),
    DemoMember("Vương Văn Tiến", 4, d(2002, 9, 2), d(2010, 12, 1)),
    # Joined after 2020: made full last September, and two still probationary now,
    # one of whom ends their probation within the secretary's notice days.
    DemoMember("Hoàng Thị Thùy Linh", 3, d(2025, 9, 2), d(2025, 9, 2), full_member=d(2026, 9, 15)),
    DemoMember(
        "Nông Minh Khang",
        2,
        d(2025, 12, 19),
        d(2025, 12, 19),
        standing=S.PROBATIONARY,
        probation_ends_in=25,
    ),
    DemoMember("Chu Văn Lực", 1, d(2026, 2, 3), d(2026, 2, 3), standing=S.PROBATIONARY),
    # Attends here temporarily (sinh hoạt tạm thời): recorded, never counted.
    DemoMember(
        "Đặng Thị Tuyết",
        3,
        d(2011, 5, 19),
        d(2020, 9, 1),
        temporary_from="Chi bộ Trường Chính trị Hoàng Văn Thụ",
    ),
]

# Tạm miễn sinh hoạt for half of 2020, for long medical treatment.
EXEMPTION = ("Nguyễn Văn Hải", d(2020, 7, 1), d(2020, 12, 31), "Điều trị bệnh dài ngày")

F = ThematicSession.Format


@dataclass
class DemoSession:
    topic: str  # "{year}" in it is replaced by the plan's year
    when: tuple  # (month, day, hour, minute)
    minutes: int
    format: str = F.PRESENTATION
    description: str = ""
    by_group: bool = False
    preparer: str = ""
    outside_speaker: str = ""
    presiding: str = "Nông Thị Hương"
    minute_taker: str = "Hà Thị Ngọc Lan"
    location: str = MEETING_ROOM
    thematic: bool = True
    regular: bool = False
    guests: tuple = (0, "")
    absences: dict = field(default_factory=dict)  # name -> reason ("" = unexcused)
    score: int | None = None
    conclusion: str = ""
    documents: tuple = ()  # (title, kind, text or url)
    contest: dict | None = None
    postponed_from: tuple | None = None  # (month, day, hour, minute, reason)
    photos: tuple = ()  # (kind of drawing, caption): drawings, the demo has no real photos
    # The minutes: what was presented, who spoke ("guest:" before a guest's
    # name), the vote as (disagree, abstain) with the others present agreeing,
    # and who presented a contest's prizes.
    content: str = ""
    speeches: tuple = ()  # (speaker, what they said)
    vote: tuple | None = None
    prizes_presented_by: str = ""


CONTEST_RCV = {
    "teams": [(1, 88), (2, 95), (3, 100), (4, 82)],
    "awards": [
        ("Giải Nhất", "Tô Thị Kim Oanh"),
        ("Giải Nhì", "Lương Văn Minh"),
        ("Giải Ba", "Vi Thị Thu Hà"),
        ("Giải Khuyến khích", "guest:Nguyễn Thị Hồng Nhung (quần chúng, Văn phòng)"),
    ],
}
CONTEST_OLYMPIA = {
    "teams": [(1, 190), (2, 240), (3, 215), (4, 260)],
    "awards": [
        ("Giải Nhất – Người chinh phục đỉnh Olympia", "Hoàng Thị Lệ"),
        ("Giải Nhì", "Dương Văn Khải"),
        ("Giải Ba", "Phùng Thị Hoa"),
        ("Giải Khuyến khích", "guest:Lý Thị Hằng (quần chúng, Ban Chính sách – Pháp luật)"),
    ],
}

SESSIONS_2020 = [
    DemoSession(
        "Rung chuông vàng – Tìm hiểu lịch sử 90 năm vẻ vang của Đảng Cộng sản Việt Nam",
        (1, 16, 14, 0),
        150,
        F.CONTEST,
        "Hội thi sân khấu hóa chào mừng 90 năm Ngày thành lập Đảng (03/02/1930 – 03/02/2020). "
        "Các đội thi đại diện cho bốn tổ Đảng; đảng viên và quần chúng cùng tham gia.",
        preparer="Phùng Thị Hoa",
        location=HALL,
        guests=(9, "Quần chúng các ban của cơ quan Liên đoàn Lao động tỉnh"),
        absences={"Triệu Văn Dũng": "Đi công tác huyện Cao Lộc", "La Văn Quý": "Nghỉ ốm"},
        score=94,
        conclusion="Hội thi tạo không khí sôi nổi; đảng viên nắm vững các mốc lịch sử của Đảng. "
        "Đề nghị tiếp tục đổi mới hình thức sinh hoạt chuyên đề theo hướng sân khấu hóa.",
        documents=(
            (
                "Đề cương tuyên truyền 90 năm Ngày thành lập Đảng",
                Document.Kind.GUIDANCE,
                "Đề cương tuyên truyền kỷ niệm 90 năm Ngày thành lập Đảng Cộng sản Việt Nam "
                "(03/02/1930 – 03/02/2020).\n\n1. Đảng Cộng sản Việt Nam ra đời.\n"
                "2. Những thắng lợi to lớn dưới sự lãnh đạo của Đảng.\n3. Bài học kinh nghiệm.",
            ),
        ),
        contest=CONTEST_RCV,
        photos=(
            (CONTEST, "Các đội thi của bốn tổ Đảng tranh tài tại Hội thi “Rung chuông vàng”"),
            (
                AWARDS,
                "Lãnh đạo Liên đoàn Lao động tỉnh trao giải cho các đảng viên đoạt giải "
                "Hội thi “Rung chuông vàng”",
            ),
        ),
        content="Đồng chí Phùng Thị Hoa giới thiệu thể lệ hội thi; bốn đội thi trả lời 30 câu "
        "hỏi về lịch sử 90 năm của Đảng; ban giám khảo công bố kết quả.",
        speeches=(
            (
                "Lăng Văn Hùng",
                "Hình thức hội thi sinh động, giúp đảng viên nhớ các mốc lịch sử; đề nghị duy "
                "trì hằng năm.",
            ),
            (
                "guest:Nguyễn Thị Hồng Nhung (quần chúng, Văn phòng)",
                "Quần chúng được thi cùng đảng viên, thêm hiểu và tin yêu Đảng.",
            ),
        ),
        prizes_presented_by="đồng chí Nông Thị Hương, Bí thư chi bộ",
    ),
    DemoSession(
        "Quán triệt Chỉ thị 35-CT/TW về đại hội đảng bộ các cấp tiến tới Đại hội XIII của Đảng",
        (3, 12, 8, 0),
        120,
        F.PRESENTATION,
        "Quán triệt nội dung Chỉ thị 35-CT/TW của Bộ Chính trị; thảo luận việc chuẩn bị nhân sự "
        "và văn kiện đại hội chi bộ nhiệm kỳ 2020–2022.",
        preparer="Lăng Văn Hùng",
        absences={"Chu Thị Hằng": "Nghỉ chế độ thai sản", "Dương Văn Khải": "Đi công tác"},
        score=88,
        conclusion="Chi bộ thống nhất kế hoạch chuẩn bị đại hội chi bộ; phân công chuẩn bị "
        "dự thảo báo cáo chính trị.",
        documents=(
            (
                "Dự thảo đề dẫn: Quán triệt Chỉ thị 35-CT/TW",
                Document.Kind.DRAFT,
                "Đề dẫn sinh hoạt chuyên đề\n\nI. Mục đích, yêu cầu\nII. Nội dung chính của "
                "Chỉ thị 35-CT/TW\nIII. Liên hệ nhiệm vụ của chi bộ\nIV. Gợi ý thảo luận",
            ),
            ("Chỉ thị 35-CT/TW của Bộ Chính trị", Document.Kind.DIRECTIVE, "link"),
        ),
        content="Đồng chí Lăng Văn Hùng trình bày đề dẫn: mục đích, yêu cầu của Chỉ thị "
        "35-CT/TW; tiêu chuẩn, cơ cấu cấp ủy; dự kiến lịch trình đại hội chi bộ nhiệm kỳ "
        "2020–2022.",
        speeches=(
            (
                "Hoàng Văn Thắng",
                "Đề nghị sớm lập tổ giúp việc chuẩn bị văn kiện; báo cáo chính trị cần đánh giá "
                "sát kết quả thực hiện nhiệm vụ chính trị của cơ quan.",
            ),
            (
                "Trần Văn Long",
                "Nhân sự cấp ủy cần bảo đảm cơ cấu trẻ, nữ; đề nghị lấy ý kiến quần chúng.",
            ),
            (
                "Nguyễn Thị Thanh Huyền",
                "Tổ 2 nhận chuẩn bị phần đánh giá công tác tổ chức, đảng viên trong dự thảo "
                "báo cáo chính trị.",
            ),
        ),
        vote=(0, 0),
    ),
    DemoSession(
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh – kỷ niệm 130 năm "
        "Ngày sinh Chủ tịch Hồ Chí Minh",
        (5, 14, 14, 0),
        120,
        F.PRESENTATION,
        "Do dịch Covid-19, chi bộ tổ chức sinh hoạt theo từng tổ Đảng, mỗi tổ một buổi riêng, "
        "bảo đảm giãn cách theo quy định; lồng ghép với sinh hoạt chi bộ thường kỳ tháng 5.",
        by_group=True,
        regular=True,
        preparer="Phùng Thị Hoa",
        absences={"Lâm Văn Cường": "Cách ly y tế theo quy định", "Mã Thị Yến": "Con ốm"},
        score=85,
        conclusion="Các tổ đã sinh hoạt đầy đủ, an toàn; mỗi đảng viên đăng ký một việc làm "
        "cụ thể để làm theo Bác.",
        photos=((MEETING, "Tổ 1 – Văn phòng sinh hoạt theo tổ, giãn cách phòng dịch Covid-19"),),
    ),
    DemoSession(
        "Đại diện, bảo vệ quyền lợi người lao động bị ảnh hưởng bởi dịch Covid-19",
        (6, 18, 8, 0),
        120,
        F.SEMINAR,
        "Tọa đàm về hỗ trợ đoàn viên, người lao động mất việc, giảm thu nhập do dịch Covid-19.",
        preparer="Trần Văn Long",
        absences={
            "Hoàng Thị Nga": "Đi học lớp trung cấp lý luận chính trị",
            "Vy Thị Dung": "",
        },
        score=82,
        conclusion="Thống nhất các giải pháp hỗ trợ đoàn viên; giao các tổ theo dõi doanh nghiệp "
        "có người lao động bị ảnh hưởng.",
        content="Đồng chí Trần Văn Long nêu tình hình đoàn viên, người lao động mất việc, giảm "
        "thu nhập do dịch Covid-19 và các chính sách hỗ trợ của Nhà nước, của tổ chức công đoàn.",
        speeches=(
            (
                "Dương Văn Khải",
                "Cần rà soát danh sách người lao động bị ảnh hưởng ở từng doanh nghiệp để hỗ trợ "
                "đúng người, kịp thời.",
            ),
            (
                "Lâm Văn Cường",
                "Đề nghị phối hợp với Bảo hiểm xã hội tỉnh hướng dẫn thủ tục hưởng trợ cấp.",
            ),
        ),
        vote=(0, 0),
    ),
    DemoSession(
        "Tìm hiểu Điều lệ Công đoàn Việt Nam khóa XII – theo hình thức “Đường lên đỉnh Olympia”",
        (8, 20, 14, 0),
        150,
        F.CONTEST,
        "Hội thi mô phỏng “Đường lên đỉnh Olympia” với bốn vòng thi: Khởi động, Vượt chướng ngại "
        "vật, Tăng tốc, Về đích. Các đội thi đại diện cho bốn tổ Đảng.",
        preparer="Trần Văn Long",
        location=HALL,
        guests=(12, "Quần chúng, đoàn viên công đoàn cơ quan"),
        absences={"Lương Văn Tuấn": "Đi công tác Hà Nội", "Bùi Thị Phương": "Nghỉ phép"},
        score=95,
        conclusion="Hội thi giúp đảng viên, quần chúng nắm chắc Điều lệ Công đoàn khóa XII; "
        "đề nghị nhân rộng hình thức thi tìm hiểu trong các công đoàn cơ sở.",
        contest=CONTEST_OLYMPIA,
        photos=(
            (
                CONTEST,
                "Các đội thi đại diện cho các tổ Đảng thi tìm hiểu Điều lệ Công đoàn "
                "Việt Nam khóa XII",
            ),
            (AWARDS, "Trao giải cho các đảng viên và quần chúng đoạt giải hội thi"),
        ),
        content="Đồng chí Trần Văn Long giới thiệu thể lệ; bốn đội thi qua bốn vòng Khởi động, "
        "Vượt chướng ngại vật, Tăng tốc, Về đích.",
        speeches=(
            (
                "Hoàng Văn Thắng",
                "Câu hỏi bám sát Điều lệ; đề nghị biên soạn thành tài liệu cho công đoàn cơ sở.",
            ),
            (
                "guest:Lý Thị Hằng (quần chúng, Ban Chính sách – Pháp luật)",
                "Hội thi giúp đoàn viên hiểu rõ quyền và trách nhiệm của mình.",
            ),
        ),
        prizes_presented_by="đồng chí Nông Thị Hương, Bí thư chi bộ, và đồng chí Hoàng Văn "
        "Thắng, chi ủy viên",
    ),
    DemoSession(
        "Quán triệt Nghị quyết Đại hội Đảng bộ tỉnh Lạng Sơn lần thứ XVII",
        (10, 22, 8, 0),
        120,
        F.PRESENTATION,
        "Quán triệt những nội dung cơ bản của Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XVII, "
        "nhiệm kỳ 2020–2025; xây dựng chương trình hành động của chi bộ. Lồng ghép với "
        "sinh hoạt chi bộ thường kỳ tháng 10.",
        outside_speaker="Báo cáo viên Ban Tuyên giáo Tỉnh ủy",
        regular=True,
        location=HALL,
        guests=(3, "Cán bộ công đoàn cơ quan"),
        absences={"Hoàng Minh Đức": "Đi công tác huyện Đình Lập", "Nông Văn Phúc": ""},
        score=86,
        conclusion="Chi bộ xây dựng chương trình hành động thực hiện Nghị quyết; giao các tổ "
        "cụ thể hóa trong kế hoạch công tác năm 2021.",
        content="Báo cáo viên quán triệt những nội dung cơ bản của Nghị quyết Đại hội Đảng bộ "
        "tỉnh lần thứ XVII: mục tiêu, chỉ tiêu, ba khâu đột phá của nhiệm kỳ 2020–2025.",
        speeches=(
            (
                "Lăng Văn Hùng",
                "Đề nghị chương trình hành động của chi bộ gắn với nhiệm vụ chăm lo đời sống "
                "đoàn viên, người lao động.",
            ),
            (
                "Phùng Thị Hoa",
                "Tổ 3 sẽ tuyên truyền Nghị quyết trong các công đoàn cơ sở khối doanh nghiệp.",
            ),
            (
                "guest:Anh Nông Văn Thành (cán bộ công đoàn cơ quan)",
                "Đề nghị phổ biến Nghị quyết đến cả đoàn viên là quần chúng.",
            ),
        ),
        vote=(0, 0),
    ),
    DemoSession(
        "Phòng, chống suy thoái tư tưởng chính trị, đạo đức, lối sống, “tự diễn biến”, "
        "“tự chuyển hóa” trong nội bộ",
        (12, 10, 14, 0),
        150,
        F.PRESENTATION,
        "Sinh hoạt chuyên đề lồng ghép với sinh hoạt chi bộ thường kỳ tháng 12; mỗi tổ chuẩn bị "
        "một bài tham luận.",
        preparer="Nông Thị Hương",
        presiding="Hoàng Văn Thắng",
        regular=True,
        absences={"Hà Thị Ngọc Lan": "Nghỉ ốm", "Đinh Văn Sơn": "Đi công tác"},
        minute_taker="Vi Thị Thu Hà",
        score=90,
        conclusion="Đảng viên tự soi, tự sửa theo các biểu hiện suy thoái; chi bộ đề nghị "
        "tăng cường tự phê bình và phê bình trong sinh hoạt.",
        content="Đồng chí Nông Thị Hương trình bày đề dẫn về 27 biểu hiện suy thoái theo Nghị "
        "quyết Trung ương 4 khóa XII; các tổ trình bày tham luận.",
        speeches=(
            (
                "Triệu Văn Dũng",
                "Tham luận của Tổ 1: giữ kỷ luật phát ngôn trên mạng xã hội.",
            ),
            (
                "Nguyễn Thị Thanh Huyền",
                "Tham luận của Tổ 2: kiểm tra, giám sát việc tu dưỡng, rèn luyện của đảng viên.",
            ),
            (
                "Phùng Thị Hoa",
                "Tham luận của Tổ 3: nêu gương người đứng đầu trong cơ quan.",
            ),
            (
                "Trần Văn Long",
                "Tham luận của Tổ 4: phòng ngừa biểu hiện vô cảm với khó khăn của người lao động.",
            ),
        ),
        vote=(0, 1),
    ),
]

# Each group's own minutes of the session held group by group:
# group -> (minute-taker, content, speeches, conclusion, vote as (disagree, abstain)).
GROUP_MINUTES_2020 = {
    1: (
        "Hà Thị Ngọc Lan",
        "Đồng chí Vi Thị Thu Hà trình bày chuyên đề và các tấm gương làm theo Bác ở cơ quan.",
        (
            ("Triệu Văn Dũng", "Đăng ký giữ gìn hồ sơ, tài liệu của cơ quan gọn gàng, an toàn."),
            ("Bế Thị Mai", "Đăng ký đi làm đúng giờ, trả lời công văn đúng hạn."),
        ),
        "Mỗi đảng viên Tổ 1 đăng ký một việc làm theo Bác; tổ theo dõi hằng tháng.",
        (0, 0),
    ),
    2: (
        "Chu Thị Hằng",
        "Đồng chí Nguyễn Thị Thanh Huyền trình bày chuyên đề; liên hệ công tác tổ chức, kiểm tra.",
        (
            ("Lương Văn Minh", "Học Bác sự công tâm khi nhận xét, đánh giá cán bộ."),
            ("Hoàng Minh Đức", "Là đảng viên mới, xin học tập tác phong gần gũi quần chúng."),
        ),
        "Tổ 2 đăng ký việc làm theo Bác gắn với công tác kiểm tra của Liên đoàn.",
        (0, 0),
    ),
    3: (
        "Tô Thị Kim Oanh",
        "Đồng chí Phùng Thị Hoa trình bày chuyên đề; giới thiệu tấm gương nữ đoàn viên tiêu biểu.",
        (
            ("Lương Văn Tuấn", "Tổ chức tuyên truyền về Bác trên trang thông tin của Liên đoàn."),
            (
                "Vy Thị Dung",
                "Vận động nữ đoàn viên tham gia phong trào “Giỏi việc nước, đảm việc nhà”.",
            ),
        ),
        "Tổ 3 đăng ký tuyên truyền 130 năm Ngày sinh Bác trong các công đoàn cơ sở.",
        None,
    ),
    4: (
        "Bùi Thị Phương",
        "Đồng chí Trần Văn Long trình bày chuyên đề; liên hệ việc giải quyết chế độ cho "
        "người lao động.",
        (
            ("Hoàng Thị Lệ", "Giải quyết đơn thư của người lao động đúng hạn, tận tình."),
            ("Nguyễn Văn Hải", "Đề nghị tổ thăm hỏi đoàn viên khó khăn do dịch bệnh."),
        ),
        "Tổ 4 đăng ký mỗi đảng viên theo dõi một doanh nghiệp có người lao động khó khăn.",
        (0, 0),
    ),
}

GROUP_MEETINGS_2020 = [
    # (group, month, day, hour, location, presiding)
    (1, 5, 12, 14, "Phòng họp Văn phòng", "Vi Thị Thu Hà"),
    (2, 5, 13, 8, "Phòng Ban Tổ chức", "Nguyễn Thị Thanh Huyền"),
    (3, 5, 14, 14, "Phòng Ban Tuyên giáo", "Phùng Thị Hoa"),
    (4, 5, 15, 8, "Phòng Ban Chính sách – Pháp luật", "Trần Văn Long"),
]

CURRENT_YEAR_SESSIONS = [
    DemoSession(
        "Quán triệt Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIV của Đảng",
        (3, 12, 8, 0),
        120,
        F.PRESENTATION,
        "Quán triệt những nội dung cốt lõi của văn kiện Đại hội XIV; liên hệ nhiệm vụ của "
        "tổ chức công đoàn tỉnh.",
        outside_speaker="Báo cáo viên Ban Tuyên giáo và Dân vận Tỉnh ủy",
        location=HALL,
        guests=(4, "Cán bộ công đoàn cơ quan"),
        score=91,
        conclusion="Chi bộ thống nhất chương trình hành động thực hiện Nghị quyết Đại hội XIV.",
        photos=((MEETING, "Báo cáo viên quán triệt Nghị quyết Đại hội XIV của Đảng"),),
    ),
    DemoSession(
        "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về tác phong "
        "gần dân, sát cơ sở",
        (5, 19, 8, 0),
        120,
        F.SEMINAR,
        "Tọa đàm: mỗi tổ Đảng trình bày một tham luận về việc đi cơ sở, "
        "nắm tình hình người lao động.",
        preparer="Phùng Thị Hoa",
        score=87,
        conclusion="Mỗi tổ Đảng đăng ký lịch đi cơ sở hằng quý.",
    ),
    DemoSession(
        "Chuyển đổi số trong hoạt động công đoàn",
        (9, 10, 14, 0),
        150,
        F.PRESENTATION,
        "Sinh hoạt chuyên đề lồng ghép với sinh hoạt chi bộ thường kỳ tháng 9.",
        preparer="Đinh Văn Sơn",
        regular=True,
        score=84,
        conclusion="Giao Văn phòng xây dựng kế hoạch số hóa hồ sơ đoàn viên.",
    ),
    DemoSession(
        "Phòng, chống tham nhũng, lãng phí, tiêu cực trong cơ quan",
        (12, 3, 8, 0),
        120,
        F.PRESENTATION,
        "Quán triệt các quy định mới về phòng, chống tham nhũng, lãng phí; thảo luận việc thực "
        "hành tiết kiệm trong cơ quan.",
        preparer="Lăng Văn Hùng",
        documents=(
            (
                "Dự thảo đề dẫn: Phòng, chống tham nhũng, lãng phí",
                Document.Kind.DRAFT,
                "Đề dẫn sinh hoạt chuyên đề\n\nI. Mục đích, yêu cầu\nII. Những quy định mới\n"
                "III. Liên hệ thực tế cơ quan\nIV. Gợi ý thảo luận",
            ),
        ),
        postponed_from=(10, 15, 8, 0, "Tập trung chuẩn bị Đại hội Công đoàn tỉnh"),
    ),
    DemoSession(
        "Tổng kết công tác xây dựng Đảng năm {year} và nâng cao chất lượng sinh hoạt chi bộ",
        (12, 17, 14, 0),
        150,
        F.SEMINAR,
        "Lồng ghép với sinh hoạt chi bộ thường kỳ tháng 12.",
        preparer="Nông Thị Hương",
        regular=True,
    ),
]

# The regular monthly meetings (sinh hoạt chi bộ định kỳ): the rule of the
# plan, and what each month's meeting dealt with; a month whose thematic
# session is held with the regular meeting has none of its own.
REGULAR_RULE = {"regular_day": 5, "regular_time": dt.time(14, 0), "regular_minutes": 90}
REGULAR_AGENDA = {
    1: "Kiểm điểm công tác tháng 12, triển khai nhiệm vụ tháng 1; chuẩn bị Tết Nguyên đán.",
    2: "Kiểm điểm công tác tháng 1; thu đảng phí quý I; phòng, chống dịch Covid-19 tại cơ quan.",
    3: "Kiểm điểm công tác tháng 2; chuẩn bị Đại hội Chi bộ nhiệm kỳ mới.",
    4: "Kiểm điểm công tác tháng 3; làm việc từ xa trong thời gian giãn cách.",
    5: "Kiểm điểm công tác tháng 4; chuẩn bị sinh hoạt chuyên đề theo tổ.",
    6: "Kiểm điểm công tác tháng 5; hỗ trợ người lao động mất việc do dịch.",
    7: "Kiểm điểm công tác 6 tháng đầu năm, phương hướng 6 tháng cuối năm.",
    8: "Kiểm điểm công tác tháng 7; thu đảng phí quý III; chuẩn bị hội thi.",
    9: "Kiểm điểm công tác tháng 8; học tập Nghị quyết Đại hội Đảng bộ cấp trên.",
    10: "Kiểm điểm công tác tháng 9; chuẩn bị Đại hội Công đoàn tỉnh.",
    11: "Kiểm điểm công tác tháng 10; đánh giá, xếp loại đảng viên cuối năm.",
    12: "Kiểm điểm công tác tháng 11; tổng kết năm, phương hướng năm tới.",
}
REGULAR_ABSENCES_2020 = {
    1: {"La Văn Quý": "Nghỉ ốm"},
    2: {"Triệu Văn Dũng": "Đi công tác huyện Cao Lộc", "Bùi Thị Phương": ""},
    3: {"Mã Thị Yến": "Con ốm"},
    4: {"Lâm Văn Cường": "Cách ly y tế theo quy định"},
    6: {"Hoàng Minh Đức": "Đi công tác huyện Đình Lập"},
    7: {"Vi Thị Thu Hà": "Nghỉ phép"},
    8: {"Nông Văn Phúc": "", "Đinh Văn Sơn": "Đi học lớp bồi dưỡng"},
    9: {"Hà Thị Ngọc Lan": "Nghỉ phép"},
    11: {"Triệu Văn Dũng": "Việc gia đình"},
}
# Each meeting's resolution: what, who (a member, or a body in words), days to do it.
TASKS = [
    ("Thu, nộp đảng phí đầy đủ, đúng hạn", "Hà Thị Ngọc Lan", 20),
    ("Hoàn thành báo cáo công tác tháng gửi Đảng ủy Khối", "Chi ủy", 15),
    ("Vận động đoàn viên công đoàn tham gia phong trào thi đua của ngành", "Lương Văn Tuấn", 25),
    ("Rà soát, cập nhật hồ sơ đảng viên", "Tổ Đảng số 1", 30),
    ("Chuẩn bị nội dung sinh hoạt chuyên đề kỳ tới", "Phùng Thị Hoa", 35),
]


DIRECTIVE_URL = "https://tulieuvankien.dangcongsan.vn/"


# What the secretary wrote into the 2020 report: the assessment and the direction.
REPORT_2020 = {
    "strengths": (
        "Chi ủy xây dựng kế hoạch sinh hoạt chuyên đề sớm, bám sát các ngày kỷ niệm lớn "
        "của năm 2020; các kỳ được tổ chức đúng kế hoạch, mỗi quý đều có sinh hoạt chuyên đề.\n"
        "Hình thức đổi mới: hai hội thi theo hình thức sân khấu hóa, một kỳ sinh hoạt theo "
        "tổ Đảng, có báo cáo viên của Tỉnh ủy; đảng viên thảo luận sôi nổi, liên hệ với "
        "nhiệm vụ của cơ quan."
    ),
    "weaknesses": (
        "Còn đảng viên vắng sinh hoạt không có lý do; một số đảng viên ít phát biểu "
        "trong phần thảo luận. Tài liệu của một số kỳ gửi đảng viên còn chậm."
    ),
    "causes": (
        "Một số đảng viên chưa sắp xếp công việc chuyên môn để dự sinh hoạt; chi ủy "
        "chưa nhắc nhở kịp thời. Một kỳ phải hoãn vì trùng lịch Đại hội Công đoàn tỉnh."
    ),
    "direction": (
        "Xây dựng kế hoạch sinh hoạt chuyên đề năm 2021 gắn với học tập, quán triệt Nghị "
        "quyết Đại hội XIII của Đảng; mỗi quý ít nhất một kỳ.\n"
        "Gửi tài liệu cho đảng viên trước mỗi kỳ; phân công đảng viên chuẩn bị tham luận; "
        "phấn đấu tỷ lệ đảng viên dự sinh hoạt trên 95 %, không có đảng viên vắng không có lý do."
    ),
}


def regular_specs(year, specs) -> list[DemoSession]:
    """The year's regular meetings on the rule, for the months whose thematic session
    is not held with the regular meeting."""
    combined = {spec.when[0] for spec in specs if spec.regular}
    return [
        DemoSession(
            "",
            (month, REGULAR_RULE["regular_day"], 14, 0),
            REGULAR_RULE["regular_minutes"],
            description=REGULAR_AGENDA[month],
            thematic=False,
            regular=True,
            absences=REGULAR_ABSENCES_2020.get(month, {}) if year == 2020 else {},
            content=REGULAR_AGENDA[month],
            conclusion=f"Chi bộ thống nhất nhiệm vụ trọng tâm tháng {month % 12 + 1}.",
        )
        for month in range(1, 13)
        if month not in combined
    ]


def at(year, month, day, hour, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_default_timezone())


class DemoLoader:
    """Creates what is missing of the demo cell; ``created`` counts what it wrote."""

    def __init__(self, today: dt.date):
        self.today = today
        self.now = timezone.now()
        self.created = 0
        self.cell = None  # the one cell, from load_profile
        self.groups = {}
        self.members = {}

    def run(self):
        with transaction.atomic(), one_renewal():
            self.load_profile()
            self.load_groups()
            self.load_members()
            self.load_users()
            plan = self.load_plan(2020, SESSIONS_2020, approved_on=d(2020, 1, 8))
            if plan is not None:
                # Sent as the secretary would have: the plan after its
                # approval, the report after the year's last session.
                self.send(send_plan, at(2020, 1, 13, 9), plan=plan)
                self.get_or_create(ReportText, defaults=REPORT_2020, cell=self.cell, year=2020)
                self.send(send_report, at(2020, 12, 14, 9), cell=self.cell, year=2020)
            if self.today.year != 2020:
                plan = self.load_plan(
                    self.today.year,
                    CURRENT_YEAR_SESSIONS,
                    approved_on=d(self.today.year, 1, 15),
                )
                if plan is not None:
                    self.send(send_plan, at(self.today.year, 1, 20, 9), plan=plan)
            self.created += SiblingLoader(
                self.cell.parent, today=self.today, template=self.cell, password=DEMO_PASSWORD
            ).run()
        return self.created

    def send(self, send, moment, **what):
        """Send to the superior committee at ``moment``, when that moment has come."""
        if moment <= self.now:
            send(user=User.objects.get(username=SECRETARY), now=moment, **what)
            self.created += 1

    def get_or_create(self, model, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        self.created += created
        return obj, created

    def load_profile(self):
        """The demo's one cell, its profile filled where empty.

        Its name and its committee's name stay what the migration wrote from
        the settings, so the heading of the minutes and the report does not move.
        """
        self.cell = single_cell()
        changed = []
        for name, value in PROFILE.items():
            if not getattr(self.cell, name):
                setattr(self.cell, name, value)
                changed.append(name)
        if changed:
            self.cell.save(update_fields=changed)

    def load_groups(self):
        for order, name in enumerate(GROUPS, start=1):
            self.groups[order], _ = self.get_or_create(
                PartyGroup, cell=self.cell, name=name, defaults={"order": order}
            )

    def load_members(self):
        for spec in MEMBERS:
            left_on, left_reason, left_note = spec.left or (None, "", "")
            joined_party, joined_cell = spec.joined_party, spec.joined_cell
            if spec.probation_ends_in is not None:
                joined_party = joined_cell = add_months(
                    self.today + dt.timedelta(days=spec.probation_ends_in),
                    -settings.CHIBO_PROBATION_MONTHS,
                )
            member, _ = self.get_or_create(
                Member,
                cell=self.cell,
                full_name=spec.name,
                defaults={
                    "group": self.groups[spec.group],
                    "standing": spec.standing,
                    "position": spec.position,
                    "joined_party_on": joined_party,
                    "full_member_on": spec.full_member,
                    "joined_cell_on": joined_cell,
                    "left_cell_on": left_on,
                    "left_reason": left_reason,
                    "left_note": left_note,
                    "temporary": bool(spec.temporary_from),
                    "home_cell": spec.temporary_from,
                },
            )
            self.members[spec.name] = member
            if spec.group_leader and self.groups[spec.group].leader_id is None:
                self.groups[spec.group].leader = member
                self.groups[spec.group].save(update_fields=["leader"])
        name, starts, ends, reason = EXEMPTION
        self.get_or_create(
            Exemption,
            member=self.members[name],
            starts_on=starts,
            defaults={"ends_on": ends, "reason": reason, "kind": Exemption.Kind.TEMPORARY},
        )

    def load_users(self):
        for spec in MEMBERS:
            if not spec.login:
                continue
            user, created = self.get_or_create(User, username=spec.login)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.first_name = spec.name
                user.save()
            self.get_or_create(
                Role, user=user, organisation=self.cell, defaults={"kind": spec.login}
            )
            member = self.members[spec.name]
            if member.user_id is None and not Member.objects.filter(user=user).exists():
                member.user = user
                member.save(update_fields=["user"])

    def load_plan(self, year, specs, approved_on):
        """The plan of ``year`` with its sessions, or None when it was there already."""
        plan, created = self.get_or_create(
            AnnualPlan,
            cell=self.cell,
            year=year,
            defaults={
                "title": f"Kế hoạch sinh hoạt chuyên đề năm {year}",
                "status": AnnualPlan.Status.APPROVED,
                "approved_on": approved_on,
                "notes": "Chuyên đề gắn với nhiệm vụ chính trị của cơ quan, mỗi quý một kỳ.",
                "regular_location": MEETING_ROOM,
                **REGULAR_RULE,
            },
        )
        if not created:
            return None  # a plan already there is the secretary's: leave it alone
        for index, spec in enumerate(specs):
            self.load_session(plan, spec, index)
        for index, spec in enumerate(regular_specs(year, specs), start=len(specs) + 10):
            self.load_session(plan, spec, index)
        self.load_resolutions(plan)
        return plan

    def load_resolutions(self, plan):
        """Each held regular meeting's resolution, and its review of the open tasks.

        Most tasks are found done at the next meeting; some are late and carry
        over a month, one now and then is not done. The same on every load.
        """
        meetings = list(plan.sessions.regular().held().order_by("start"))
        tasks = ResolutionTask.objects.of_cell(self.cell)
        for number, meeting in enumerate(meetings):
            # A year that is over ends with its report: its last meeting
            # leaves no task for a January the demo does not have.
            last_of_past_year = number == len(meetings) - 1 and plan.year < self.today.year
            rng = random.Random(f"tasks-{plan.year}-{number}")
            for task in tasks.open_before(meeting.start).order_by("pk"):
                if task.reviews.exists():
                    outcome, note = TaskReview.Outcome.DONE, "Xong sau khi chuyển từ kỳ trước."
                else:
                    outcome = rng.choice(["done", "done", "done", "late", "not_done"])
                    note = {
                        "done": "",
                        "late": "Chưa xong, chuyển sang tháng sau.",
                        "not_done": "Chưa triển khai; chi ủy nhắc nhở.",
                    }[outcome]
                TaskReview.objects.create(task=task, session=meeting, outcome=outcome, note=note)
                self.created += 1
            for order in () if last_of_past_year else (1, 2):
                content, who, days = TASKS[(2 * number + order - 1) % len(TASKS)]
                ResolutionTask.objects.create(
                    session=meeting,
                    content=content,
                    responsible=self.members.get(who),
                    responsible_name="" if who in self.members else who,
                    due_on=meeting.day + dt.timedelta(days=days),
                    order=order,
                )
                self.created += 1

    def load_session(self, plan, spec, index):
        month, day, hour, minute = spec.when
        start = at(plan.year, month, day, hour, minute)
        end = start + dt.timedelta(minutes=spec.minutes)
        is_past = end < self.now
        session = ThematicSession.objects.create(
            plan=plan,
            topic=spec.topic.replace("{year}", str(plan.year)),
            description=spec.description,
            scope=ThematicSession.Scope.GROUPS if spec.by_group else ThematicSession.Scope.CELL,
            format=spec.format,
            start=start,
            end=end,
            location=spec.location,
            preparer=self.members.get(spec.preparer),
            outside_speaker=spec.outside_speaker,
            presiding=self.members[spec.presiding],
            minute_taker=self.members[spec.minute_taker],
            thematic=spec.thematic,
            regular=spec.regular,
            draft_approved_on=(start - dt.timedelta(days=10)).date(),
            draft_sent_at=start - dt.timedelta(days=7) if is_past else None,
            guest_count=spec.guests[0] if is_past else 0,
            guest_names=spec.guests[1] if is_past else "",
        )
        self.created += 1
        if spec.postponed_from:
            p_month, p_day, p_hour, p_minute, reason = spec.postponed_from
            Postponement.objects.create(
                session=session,
                previous_start=at(plan.year, p_month, p_day, p_hour, p_minute),
                new_start=start,
                reason=reason,
            )
            session.status = ThematicSession.Status.POSTPONED
            session.status_reason = reason
            session.calendar_sequence = 1
            self.created += 1
        if spec.by_group:
            for group, g_month, g_day, g_hour, location, presiding in GROUP_MEETINGS_2020:
                meeting_start = at(plan.year, g_month, g_day, g_hour)
                GroupMeeting.objects.create(
                    session=session,
                    group=self.groups[group],
                    start=meeting_start,
                    end=meeting_start + dt.timedelta(minutes=spec.minutes),
                    location=location,
                    presiding=self.members[presiding],
                )
                self.created += 1
        for title, kind, content in spec.documents:
            document = Document(session=session, title=title, kind=kind)
            if content == "link":
                document.url = DIRECTIVE_URL
            else:
                document.file.save(
                    f"demo-{plan.year}-{index + 1}-{kind}.txt",
                    ContentFile(content.encode()),
                    save=False,
                )
            document.save()
            self.created += 1
        if is_past:
            self.record(session, spec, index)
        else:
            session.save()

    def record(self, session, spec, index):
        """Mark a past session held and write its attendance sheet."""
        session.status = ThematicSession.Status.HELD
        session.conclusion = spec.conclusion
        # What was presented; empty, the printed minutes give the session's content.
        session.minutes = spec.content
        session.prizes_presented_by = spec.prizes_presented_by
        session.save()
        absences = spec.absences or self.drawn_absences(session, index)
        rows = []
        for member in session.expected_members().select_related("group"):
            reason = absences.get(member.full_name)
            if reason is None:
                status = Attendance.Status.PRESENT
            elif reason:
                status = Attendance.Status.EXCUSED
            else:
                status = Attendance.Status.UNEXCUSED
            rows.append(
                Attendance(
                    session=session,
                    member=member,
                    group=member.group,
                    status=status,
                    reason=reason or "",
                )
            )
        for member in Member.objects.filter(
            cell=self.cell, temporary=True, joined_cell_on__lte=session.day
        ):
            rows.append(
                Attendance(session=session, member=member, group=member.group, temporary=True)
            )
        bulk_create_with_history(rows, Attendance)
        session.attendance_version = 1
        session.save(update_fields=["attendance_version"])
        refresh_figures(session=session)
        self.created += len(rows)
        self.write_minutes(session, spec, rows)
        if spec.score is not None:
            scheme = scheme_on(session.day)
            grade_session(session=session, points=points_for(scheme, spec.score))
        if spec.contest:
            for group, score in spec.contest["teams"]:
                ContestTeam.objects.create(
                    session=session,
                    group=self.groups[group],
                    name=f"Đội {GROUPS[group - 1]}",
                    score=score,
                )
            ranked = sorted(spec.contest["teams"], key=lambda team: -team[1])
            for rank, (group, _score) in enumerate(ranked, start=1):
                ContestTeam.objects.filter(session=session, group=self.groups[group]).update(
                    rank=rank
                )
            for order, (prize, winner) in enumerate(spec.contest["awards"]):
                if winner.startswith("guest:"):
                    Award.objects.create(
                        session=session, prize=prize, guest_name=winner[6:], order=order
                    )
                else:
                    Award.objects.create(
                        session=session, prize=prize, member=self.members[winner], order=order
                    )
            self.created += len(spec.contest["teams"]) + len(spec.contest["awards"])
        self.add_photos(session, spec, index)

    def write_minutes(self, session, spec, rows):
        """The discussion, the vote and, group by group, each group's own minutes."""
        present = [row for row in rows if not row.temporary and row.status == "present"]
        meetings = {meeting.group_id: meeting for meeting in session.group_meetings.all()}
        parts = [(None, spec.speeches, spec.vote, session, len(present))]
        for group, (taker, content, speeches, conclusion, vote) in GROUP_MINUTES_2020.items():
            meeting = meetings.get(self.groups[group].pk)
            if meeting is None:
                continue
            meeting.minute_taker = self.members[taker]
            meeting.content, meeting.conclusion = content, conclusion
            in_group = sum(1 for row in present if row.group_id == meeting.group_id)
            parts.append((meeting, speeches, vote, meeting, in_group))
        for meeting, speeches, vote, keeper, count in parts:
            if vote is not None:
                against, abstain = vote
                keeper.votes_for = count - against - abstain
                keeper.votes_against, keeper.votes_abstain = against, abstain
            keeper.save()
            for order, (speaker, said) in enumerate(speeches):
                guest = speaker.removeprefix("guest:") if speaker.startswith("guest:") else ""
                Speech.objects.create(
                    session=session,
                    group_meeting=meeting,
                    member=None if guest else self.members[speaker],
                    speaker_name=guest,
                    content=said,
                    order=order,
                )
                self.created += 1

    def add_photos(self, session, spec, index):
        """The session's pictures, checked and stored as the photo page stores uploads."""
        photos = []
        for number, (kind, caption) in enumerate(spec.photos, start=1):
            name = f"demo-{session.plan.year}-{index + 1}-{number}.jpg"
            drawing = ContentFile(scene_jpeg(name, kind), name=name)
            photos.append((clean_photo(drawing), caption))
        if photos:
            uploader = User.objects.filter(username=SECRETARY).first()
            add_photos(session=session, photos=photos, user=uploader)
            self.created += len(photos)

    def drawn_absences(self, session, index):
        """A few absences for the current year's sessions, the same on every load."""
        rng = random.Random(f"{session.plan.year}-{index}")
        names = sorted(
            session.expected_members()
            .exclude(full_name="Lương Văn Tuấn")
            .values_list("full_name", flat=True)
        )
        chosen = rng.sample(names, 2)
        reasons = ["Đi công tác", "Nghỉ ốm", "Đi học lớp bồi dưỡng", "Việc gia đình"]
        absences = {name: rng.choice(reasons) for name in chosen}
        if index == 0:
            absences["Lương Văn Tuấn"] = "Đi công tác huyện Tràng Định"
        if index == 1:
            absences[chosen[0]] = ""  # the year's one unexcused absence
        return absences

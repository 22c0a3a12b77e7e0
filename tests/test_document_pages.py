"""Documents of a session: files or links, and when the draft went to members."""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sessions.models import Document
from tests.factories import at, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(groups, now):
    return make_session(start=at(2020, 7, 15), topic="Phòng, chống tham nhũng")


def url(session):
    return reverse("sessions:documents", args=[session.pk])


def pdf(name="de-dan.pdf", size=None):
    content = b"%PDF-1.4 de dan" if size is None else b"x" * size
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_secretary_attaches_a_file_and_a_link(client, secretary, member, session):
    client.force_login(secretary)
    response = client.post(
        url(session), {"title": "Dự thảo đề dẫn", "kind": "draft", "file": pdf()}
    )
    assert response.status_code == 302
    client.post(
        url(session),
        {
            "title": "Chỉ thị 35",
            "kind": "directive",
            "url": "https://tulieuvankien.dangcongsan.vn/",
        },
    )
    documents = {d.title: d for d in Document.objects.all()}
    assert documents["Dự thảo đề dẫn"].file.name.startswith("documents/")
    assert documents["Dự thảo đề dẫn"].uploaded_by == secretary
    assert documents["Chỉ thị 35"].url == "https://tulieuvankien.dangcongsan.vn/"
    # Members see them on the session page.
    client.force_login(member)
    page = client.get(session.get_absolute_url()).text
    assert "Dự thảo đề dẫn" in page and "Chỉ thị 35" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "A", "kind": "draft"}, "Chọn một tệp hoặc ghi đường dẫn của tài liệu."),
        (
            {"title": "A", "kind": "draft", "url": "https://example.org/a", "file": "pdf"},
            "Chọn một tệp hoặc ghi một đường dẫn, không cả hai.",
        ),
        ({"title": "", "kind": "draft", "url": "https://example.org/a"}, "Trường này là bắt buộc."),
        ({"title": "A", "kind": "draft", "url": "khong phai duong dan"}, "Nhập một URL hợp lệ."),
        (
            {"title": "A", "kind": "draft", "file": "html"},
            "Không nhận tệp “.html”. Chỉ nhận: pdf, doc",
        ),
    ],
)
def test_bad_documents_are_refused(client, secretary, session, data, message):
    client.force_login(secretary)
    if data.get("file") == "pdf":
        data["file"] = pdf()
    elif data.get("file") == "html":
        data["file"] = SimpleUploadedFile("trang.html", b"<script>", content_type="text/html")
    response = client.post(url(session), data)
    assert response.status_code == 200
    assert message in response.text
    assert Document.objects.count() == 0


def test_an_oversized_document_is_refused(client, secretary, session, settings):
    settings.CHIBO_DOCUMENT_MAX_BYTES = 100
    client.force_login(secretary)
    response = client.post(url(session), {"title": "A", "kind": "slides", "file": pdf(size=500)})
    assert "vượt mức cho phép" in response.text
    assert Document.objects.count() == 0


def test_removing_a_document_needs_a_post(client, secretary, session):
    document = Document.objects.create(session=session, title="A", url="https://example.org")
    client.force_login(secretary)
    delete = reverse("sessions:document_delete", args=[session.pk, document.pk])
    assert client.get(delete).status_code == 405
    client.post(delete)
    assert Document.objects.count() == 0


def test_removing_a_document_asks_first_in_the_users_language(client, secretary, session):
    """The remove form names the document in the question the page's own script asks."""
    document = Document.objects.create(
        session=session, title="Chỉ thị 05", url="https://example.org"
    )
    client.force_login(secretary)
    delete = reverse("sessions:document_delete", args=[session.pk, document.pk])
    response = client.get(url(session))
    form = re.search(rf'<form method="post" action="{delete}"[^>]*>', response.text)[0]
    assert 'data-confirm="Gỡ tài liệu “Chỉ thị 05” khỏi kỳ sinh hoạt?"' in form
    assert "/static/js/confirm.js" in response.text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url(session))
    assert 'data-confirm="Remove the document “Chỉ thị 05” from the session?"' in response.text


def test_draft_sent_date_is_recorded_with_a_warning_when_late(client, secretary, session):
    client.force_login(secretary)
    draft_url = reverse("sessions:draft_sent", args=[session.pk])
    assert client.get(draft_url).status_code == 405
    response = client.post(draft_url, {"draft_sent_at": "2020-07-08T09:00"}, follow=True)
    session.refresh_from_db()
    assert session.draft_sent_at == at(2020, 7, 8, 9)
    assert "Đã ghi ngày gửi dự thảo" in response.text
    assert "Dự thảo cần gửi đảng viên trước" not in response.text
    response = client.post(draft_url, {"draft_sent_at": "2020-07-15T07:00"}, follow=True)
    assert "Dự thảo cần gửi đảng viên trước buổi sinh hoạt ít nhất 1 ngày." in response.text
    page = client.get(session.get_absolute_url()).text
    assert "Dự thảo đã gửi đảng viên ngày" in page and "15/07/2020" in page


def test_a_bad_draft_date_is_refused(client, secretary, session):
    client.force_login(secretary)
    response = client.post(
        reverse("sessions:draft_sent", args=[session.pk]), {"draft_sent_at": "hôm qua"}
    )
    assert response.status_code == 200
    assert "Nhập một ngày/thời gian hợp lệ." in response.text
    session.refresh_from_db()
    assert session.draft_sent_at is None


def test_member_cannot_attach_documents(client, member, session):
    client.force_login(member)
    response = client.post(url(session), {"title": "A", "kind": "draft", "url": "https://a.org"})
    assert response.status_code == 403
    assert Document.objects.count() == 0

"""`GET /v1/jobs/{job_id}/report`: each format downloads as the file `huanjie report` writes, named
after the scenario (ASCII and RFC 5987 forms); 409 before the end, 404 without the slate, 503 for a PDF
without Chromium."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

import openpyxl
import pytest

from service.api.reports import disposition
from service.render.pdf import BINARY_VAR
from tests.service.api.conftest import Service, small_county
from tests.service.api.test_jobs import submit
from tests.service.test_reports import need_chromium


@pytest.fixture(scope="module")
def done(service: Service) -> dict:
    """A completed job on the small county."""
    job = service.wait(submit(service, service.small)["id"])
    assert job["state"] == "completed"
    return job


def name_of(header: str) -> tuple[str, str]:
    """The (ASCII, UTF-8) filenames of a Content-Disposition header."""
    plain = re.search(r'filename="([^"]*)"', header)
    utf8 = re.search(r"filename\*=UTF-8''(\S+)", header)
    assert header.startswith("attachment;") and plain and utf8, header
    return plain.group(1), unquote(utf8.group(1))


def test_xlsx_and_html_download_as_the_reports(service: Service, done: dict) -> None:
    """The workbook opens with a team sheet per township; the page holds the report's title; both named
    after the scenario and the job."""
    sc_name = small_county().name
    r = service.get(f"/v1/jobs/{done['id']}/report", params={"format": "xlsx"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[0] == "概况" and any(n.endswith("人事安排方案") for n in wb.sheetnames)
    assert name_of(r.headers["content-disposition"])[1] == f"{sc_name}-{done['id']}.xlsx"
    r = service.get(f"/v1/jobs/{done['id']}/report", params={"format": "html", "slate": 1})
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert "乡镇领导班子换届人事安排方案</h1>" in r.text
    assert name_of(r.headers["content-disposition"])[1].endswith(".html")


def test_pdf_downloads_printed_by_chromium(service: Service, done: dict) -> None:
    """The PDF is Chromium's print of the HTML report."""
    need_chromium()
    r = service.get(f"/v1/jobs/{done['id']}/report", params={"format": "pdf"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")


def test_pdf_without_chromium_is_a_503_naming_it(service: Service, done: dict,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """No Chromium to print with: 503 with a Problem saying so and how to install it."""
    monkeypatch.setenv(BINARY_VAR, "/nonexistent/chromium")
    r = service.get(f"/v1/jobs/{done['id']}/report", params={"format": "pdf"})
    assert r.status_code == 503 and "chromium" in r.json()["error"].lower()


def test_not_ended_no_slate_no_job(service: Service, done: dict, demo_id: str) -> None:
    """409 while the job runs; 404 for a slate it lacks or a job that does not exist; 422 for a bad format."""
    running = submit(service, demo_id, settings={"top": 1, "time_limit": 30, "workers": 1})
    r = service.get(f"/v1/jobs/{running['id']}/report")
    assert r.status_code == 409 and "error" in r.json()
    service.post(f"/v1/jobs/{running['id']}/stop")
    assert service.get(f"/v1/jobs/{done['id']}/report", params={"slate": 2}).status_code == 404
    assert service.get(f"/v1/jobs/{done['id']}/report", params={"slate": 0}).status_code == 422
    assert service.get("/v1/jobs/jnosuchjob/report").status_code == 404
    assert service.get(f"/v1/jobs/{done['id']}/report", params={"format": "doc"}).status_code == 422


def test_filenames_have_an_ascii_fallback() -> None:
    """Chinese names keep their UTF-8 form in filename*; the plain filename has no quote or slash."""
    header = disposition('东山县 "a/b"', "pdf")
    plain, utf8 = name_of(header)
    assert utf8 == '东山县 "a/b".pdf'
    assert plain.isascii() and not set(plain) & set('"/\\') and plain.endswith(".pdf")
    assert name_of(disposition("东山县", "xlsx"))[0] == "report.xlsx"

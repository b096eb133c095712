"""The static_host plugin's settings and files."""

from __future__ import annotations

from pathlib import Path

import pytest
from static_host.host_files import validate_settings, write_host_files


@pytest.mark.parametrize(
    "cname", ["https://news.example.org", "news.example.org/path", "news example.org", "localhost"]
)
def test_cname_must_be_a_bare_host_name(cname: str) -> None:
    with pytest.raises(ValueError, match="CNAME must be a bare host name"):
        validate_settings({"CNAME": cname})


def test_files_are_written(tmp_path: Path) -> None:
    settings = {"OUTPUT_PATH": str(tmp_path), "CNAME": "News.Example.org"}
    validate_settings(settings)
    write_host_files(settings)
    assert (tmp_path / ".nojekyll").read_text() == ""
    assert (tmp_path / "CNAME").read_text() == "news.example.org\n"


def test_no_cname_file_without_a_domain(tmp_path: Path) -> None:
    settings = {"OUTPUT_PATH": str(tmp_path), "STATIC_HOST_NOJEKYLL": False}
    validate_settings(settings)
    write_host_files(settings)
    assert list(tmp_path.iterdir()) == []

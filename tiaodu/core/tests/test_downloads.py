"""Download names (docs/errors.md): the name in Chinese in RFC 6266's `filename*`, an ASCII
name in `filename` for the clients that read nothing else, and nothing a file system
refuses."""

from tiaodu.core.downloads import content_disposition, file_name


def test_a_chinese_name_has_an_ascii_fallback() -> None:
    assert content_disposition("督办〔2026〕4号.docx", fallback="notice-13.docx") == (
        'attachment; filename="notice-13.docx"; '
        "filename*=UTF-8''%E7%9D%A3%E5%8A%9E%E3%80%942026%E3%80%954%E5%8F%B7.docx"
    )


def test_an_ascii_name_needs_no_second_name() -> None:
    assert content_disposition("Ledger-2026-as of 2026-11-30.xlsx", fallback="ledger.xlsx") == (
        'attachment; filename="Ledger-2026-as of 2026-11-30.xlsx"'
    )


def test_what_a_file_system_refuses_is_replaced() -> None:
    assert file_name('区（市）排名: 2026/10 "红牌"?.xlsx') == "区（市）排名- 2026-10 -红牌.xlsx"
    assert file_name("..xlsx") == "download.xlsx"
    assert file_name("a\r\nb") == "a-b"
    # A fallback that is not ASCII after all is made so.
    assert content_disposition("台账.xlsx", fallback="台账-2026.xlsx") == (
        "attachment; filename=\"2026.xlsx\"; filename*=UTF-8''%E5%8F%B0%E8%B4%A6.xlsx"
    )

"""Chinese first: the browser's Accept-Language does not override the site's language;
the zh_Hans catalogue is complete, compiled, and uses the names of DOMAIN.md §1."""

import ast
import gettext
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tiaodu.core.roles import Role
from tiaodu.projects.choices import (
    AnnualPlanLevel,
    AnnualPlanNature,
    ProcedureKind,
    ProjectCategory,
    ProjectFundingType,
    ReserveStage,
)
from tiaodu.projects.exports import library_columns


def test_chinese_by_default_even_for_an_english_browser(client, db):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()


def test_the_language_switch_chooses_english(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    response = client.get(reverse("accounts:login"))
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_pages_are_in_chinese_by_default(client, db):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "账户登录" in html
    assert "15分钟内输错密码5次，该账户将在您所在地址被锁定30分钟。" in html
    assert "Sign in to your account" not in html
    # The switch names the other language in that language.
    assert ">English</button>" in html


def test_english_pages_after_the_switch(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in to your account" in html
    assert "账户登录" not in html
    assert ">简体中文</button>" in html


# The Chinese names are fixed by DOMAIN.md §1 and §2: one name per concept.
GLOSSARY = [
    (AnnualPlanNature, ["新开工", "续建", "储备（前期）", "竣工"]),
    (AnnualPlanLevel, ["省重点", "市重点", "区县重点"]),
    (
        ReserveStage,
        [
            "签订投资协议",
            "编制项目建议书及可研",
            "办理立项用地规划许可",
            "编报初步设计及施工图设计",
            "施工前准备",
        ],
    ),
    (
        ProcedureKind,
        [
            "立项（审批/核准/备案）",
            "用地预审与选址",
            "用地规划许可",
            "工程规划许可",
            "环评",
            "能评",
            "施工许可",
            "不动产权证",
        ],
    ),
    (ProjectCategory, ["产业", "基础设施", "民生社会事业", "生态环保", "其他"]),
    (ProjectFundingType, ["政府投资", "企业投资"]),
    (
        Role,
        [
            "系统管理员",
            "安全管理员",
            "审计员",
            "调度员",
            "领导",
            "部门经办",
            "首席服务员",
            "项目填报员",
            "金融机构",
        ],
    ),
]


@pytest.mark.parametrize("choices, names", GLOSSARY, ids=lambda v: getattr(v, "__name__", ""))
def test_the_glossary_names(choices, names):
    with translation.override("zh-hans"):
        assert [str(label) for label in choices.labels] == names


def test_the_library_export_uses_the_ledger_headers():
    """The library export's headers are the standard ledger's, in its order (DOMAIN.md §5)."""
    with translation.override("en"):
        headers = [header for header, _width in library_columns()]
    assert headers == [
        "序号",
        "项目代码",
        "项目名称",
        "所属区县",
        "项目级别",
        "建设性质",
        "储备阶段",
        "项目类别",
        "所属行业",
        "投资主体",
        "建设内容及规模",
        "总投资(万元)",
        "年度计划投资(万元)",
        "本年累计完成投资(万元)",
        "专项债券资金(万元)",
        "债券资金已支出(万元)",
        "计划开工时间",
        "实际开工时间",
        "计划竣工时间",
        "实际竣工时间",
        "实际投产时间",
        "入统时间",
        "项目单位",
        "责任单位",
        "市级责任领导",
        "包保领导",
        "首席服务员",
        "专班班长",
        "联系人",
        "联系电话",
        "所属清单",
        "经度",
        "纬度",
        "备注",
    ]


# --- the catalogue ---------------------------------------------------------------------------

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES"


def _unquote(line: str) -> str:
    return ast.literal_eval(line)  # a PO string is a C string literal, as Python reads it


def read_po(path: Path) -> list[dict[str, Any]]:
    """The entries of a PO file (header excluded): msgctxt, msgid, msgid_plural, msgstr, flags."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] = {"flags": set(), "msgstr": {}}
    key: tuple[str, int | None] | None = None

    def flush() -> None:
        nonlocal entry
        if entry.get("msgid"):
            entries.append(entry)
        entry = {"flags": set(), "msgstr": {}}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = None
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue  # comments, references and obsolete (#~) entries
        elif line.startswith('"') and key is not None:
            name, index = key
            if index is None:
                entry[name] += _unquote(line)
            else:
                entry["msgstr"][index] += _unquote(line)
        else:
            word, _space, rest = line.partition(" ")
            if word.startswith("msgstr["):
                index = int(word[len("msgstr[") : -1])
                entry["msgstr"][index] = _unquote(rest)
                key = ("msgstr", index)
            elif word == "msgstr":
                entry["msgstr"][0] = _unquote(rest)
                key = ("msgstr", 0)
            else:
                entry[word] = _unquote(rest)
                key = (word, None)
    flush()
    return entries


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = read_po(CATALOGUE / "django.po")
    assert len(entries) > 300
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    extra_forms = [e["msgid"] for e in entries if "msgid_plural" in e and set(e["msgstr"]) != {0}]
    assert (untranslated, fuzzy, extra_forms) == ([], [], [])


def test_the_compiled_catalogue_matches_the_po():
    """django.mo (not in git) is built by make compilemessages, which make test runs first;
    a .po edited without recompiling would leave the pages on the old texts."""
    with (CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in read_po(CATALOGUE / "django.po"):
        if "msgid_plural" in e:
            found = compiled.ngettext(e["msgid"], e["msgid_plural"], 1)
        elif "msgctxt" in e:
            found = compiled.pgettext(e["msgctxt"], e["msgid"])
        else:
            found = compiled.gettext(e["msgid"])
        if found != e["msgstr"][0]:
            stale.append(e["msgid"])
    assert stale == [], "django.mo is stale: run make compilemessages"

"""Write the saved-by-LibreOffice ledgers of test_ledger_formats.py (run by hand, not by CI).

One ledger, written by Tiaodu's own writer as of 31 October 2026, is saved by Debian's
LibreOffice Calc (headless) as .xlsx, as .xls (Excel 97–2003), as CSV in UTF-8 and as CSV
in GBK, the way an office re-saves the file it was sent:

    apt-get install libreoffice-calc
    .venv/bin/python tiaodu/projects/tests/data/make_saved_ledgers.py
"""

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tiaodu.settings")

import django  # noqa: E402

django.setup()

from tiaodu.projects.ledger.writer import write_ledger_rows  # noqa: E402

AS_OF = dt.date(2026, 10, 31)
ROWS = [
    {
        "sequence": 1,
        "code": "2026-370211-48-01-000021",
        "name": "黄岛港区智慧物流园",
        "region": "黄岛区",
        "level": "municipal",
        "nature": "new_start",
        "category": "infrastructure",
        "funding_type": "enterprise",
        "construction_content": "建设仓储中心 12 万平方米，配套道路、堆场",
        "total_investment": Decimal("125000.00"),
        "planned_investment": Decimal("20000.00"),
        "ytd_completed": Decimal("15321.45"),
        "bond_funds": Decimal("5000.00"),
        "bond_funds_spent": Decimal("1200.50"),
        "planned_start": dt.date(2026, 3, 1),
        "actual_start": dt.date(2026, 4, 8),
        "planned_completion": dt.date(2028, 6, 30),
        "owner_unit": "青岛港湾物流有限公司",
        "responsible_unit": "青岛市交通运输局",
        "municipal_leader": "王强",
        "contact_name": "刘洋",
        "contact_phone": "13800000000",
        "lists": "市重点项目；省百大",
        "longitude": Decimal("120.123456"),
        "latitude": Decimal("36.012345"),
        "remarks": "一期；二期同步设计",
    },
    {
        "sequence": 2,
        "code": "",
        "name": "崂山生态廊道",
        "region": "崂山区",
        "level": "county",
        "nature": "reserve",
        "reserve_stage": "agreement_signed",
        "category": "ecology",
        "funding_type": "government",
        "total_investment": Decimal("5000.00"),
        "lists": "省百大",
    },
]


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        source = work / "ledger.xlsx"
        source.write_bytes(write_ledger_rows(ROWS, as_of=AS_OF))
        profile = f"-env:UserInstallation=file://{work}/profile"
        targets = {
            "saved.xlsx": "xlsx:Calc MS Excel 2007 XML",
            "saved.xls": "xls:MS Excel 97",
            # Separator 44 (comma), text delimiter 34 ("), character set 76 (UTF-8) or 56 (GBK).
            "saved-utf8.csv": "csv:Text - txt - csv (StarCalc):44,34,76",
            "saved-gbk.csv": "csv:Text - txt - csv (StarCalc):44,34,56",
        }
        for name, conversion in targets.items():
            out = work / name.replace(".", "-")
            subprocess.run(
                ["soffice", profile, "--headless", "--convert-to", conversion,
                 "--outdir", str(out), str(source)],
                check=True, capture_output=True,
            )  # fmt: skip
            saved = next(out.iterdir())
            shutil.copyfile(saved, HERE / f"ledger-{name}")
            print(f"ledger-{name}: {saved.stat().st_size} bytes")


if __name__ == "__main__":
    main()

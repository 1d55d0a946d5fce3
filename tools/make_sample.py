"""Regenerate resources/示例客户清单.xlsx (a realistic, messy synthetic list).

python tools/make_sample.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.base.resources import resource  # noqa: E402
from tools.synth import make_list, write_xlsx  # noqa: E402

SAMPLE = resource("示例客户清单.xlsx")


def main() -> None:
    lst = make_list(320, seed=2026, messy=True, market="城东小商品批发市场")
    write_xlsx(lst, SAMPLE, sheet="客户清单", notes_sheet=True)
    print(f"已生成 {SAMPLE}")


if __name__ == "__main__":
    main()

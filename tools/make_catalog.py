"""Regenerate resources/catalog.xlsx (the default 套餐库) from core.marketing.catalog.DEFAULT_PACKAGES.

python tools/make_catalog.py [--force]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.marketing.catalog import DEFAULT_CATALOG_PATH, DEFAULT_PACKAGES, write_catalog


def main(argv: list[str]) -> int:
    path = write_catalog(list(DEFAULT_PACKAGES), DEFAULT_CATALOG_PATH, force="--force" in argv)
    print(f"已生成默认套餐库：{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

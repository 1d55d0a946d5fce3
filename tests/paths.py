"""Where things are, for every test: the project folder and the sample list."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "示例客户清单.xlsx"

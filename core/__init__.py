"""The program's core, without Qt: the steps a campaign goes through, one package each.

    file ─► importing ─► customers ─► marketing (bands, tags, offers)
                                         ├─► documents (建议书 / 反馈表)
                                         └─► reporting (charts, Excel report)

``base`` holds what all of them share. A package only imports from the packages below
it (import-linter checks the layers; see pyproject.toml), and nothing here imports Qt.
"""

"""The program's core, without Qt: the steps a campaign goes through, one package each.

    file ─► importing ─► customers ─► marketing (bands, tags, offers)
                                      ─► campaign (one file: customers, offers, visits, results)
                                           ├─► documents (建议书 / 反馈表)
                                           └─► reporting (charts, Excel reports, 走访记录 sheet)

``base`` holds what all of them share. A package only imports from the packages below
it (import-linter checks the layers; see pyproject.toml), and nothing here imports Qt.
"""

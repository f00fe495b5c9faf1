"""The standard ledger (台账, DOMAIN.md §5): its columns, reading, checking, importing, writing.

- `columns`: the template's columns in export order, their aliases, which are required
- `cells`: parsing one cell (amounts, dates, vocabularies, lists)
- `safety`: checks of the uploaded file before anything parses it
- `reader`: the first sheet's rows, keyed by column id (python-calamine)
- `importer`: `plan_import` (validate every row, write nothing) and `apply_import`
- `jobs`: the import page's writes (store, check, apply), along `workflow`'s table of statuses
- `errors`: the error report as xlsx; `writer`: the template as xlsx (the library export)
"""

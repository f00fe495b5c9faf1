"""A realistic, reproducible demo city (青岛市) for `manage.py load_demo`.

`generate` draws the whole city as plain values (`spec`), from word lists (`names`),
project kinds (`templates`), units and people (`people`), dates and plans (`timeline`)
and procedures (`procedures`); `ledger` writes its standard ledger of each plan year, and
`builder.load` has the city dispatcher import them, then writes through the services what
no ledger column carries (`completion`) and the accounts.
"""

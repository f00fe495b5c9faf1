"""A realistic, reproducible demo city (青岛市) for `manage.py load_demo`.

`generate` draws the whole city as plain values (`spec`), from word lists (`names`),
project kinds (`templates`), units and people (`people`), dates and plans (`timeline`)
and procedures (`procedures`); `builder.load` writes it through the services.
"""

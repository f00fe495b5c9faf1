"""The demo city of `manage.py load_demo`: an app on top of every other one.

`library` draws the city as plain values and has the city dispatcher import its standard
ledgers; `parts` names the rest in order, each replaying its months of history through the
product apps' services at past moments set on `core.clock`: the dispatch rounds
(`reports`), the problem ledger (`problems`), supervision notices and meetings (`notices`),
leaders' instructions (`instructions`) and a field round (`field_round`). The generated site photos are drawn and stored in
`photos`. No product app imports this package.
"""

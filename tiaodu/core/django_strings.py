"""Django's own strings that Django's zh_Hans catalogue (Django 6.1) leaves untranslated.

Nothing imports this module: it is here so that `make messages` extracts these strings into
tiaodu/locale, whose translations take precedence over Django's (LOCALE_PATHS). Drop an
entry once Django's own catalogue translates it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

STRINGS = (
    # django.db.models.fields.BLANK_CHOICE_LABEL: the empty option of every select.
    gettext_noop("- Select an option -"),
    # django.contrib.admin: the list of protected objects when a deletion is refused.
    gettext_noop(", "),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
)

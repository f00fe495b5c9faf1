"""The definitions behind the statistics page's figures, in a sentence each, for the reader
of the page (the full definitions: docs/statistics.md). They follow the site's settings:
the rule of time progress and the lagging margin."""

from django.conf import settings
from django.utils.translation import gettext as _

from tiaodu.projects.figure_conditions import WORKING_DAYS, lagging_margin


def definitions() -> list[tuple[str, str]]:
    """(term, definition) for the figures a reader is most likely to ask about."""
    if settings.TIAODU_TIME_PROGRESS == WORKING_DAYS:
        progress = _(
            "the working days of the year up to the as-of date ÷ all the working days of the "
            "year, on the official calendar (make-up working days included)."
        )
    else:
        progress = _("the month of the as-of date ÷ 12.")
    return [
        (_("Started"), _("the project's actual start is on or before the as-of date.")),
        (
            _("Completion rate"),
            _("year-to-date completed investment ÷ the annual planned investment."),
        ),
        (_("Time progress"), progress),
        (
            _("Lagging"),
            _(
                "a started project with an annual plan whose completion rate is more than "
                "%(margin)d points below time progress."
            )
            % {"margin": lagging_margin()},
        ),
        (
            _("Should have started"),
            _("a new start whose planned start has come and that has not started yet."),
        ),
        (
            _("In the statistics"),
            _("a started project whose statistics-inclusion date is on or before the as-of date."),
        ),
    ]

"""Which projects a site publishes as open data, and under which names (docs/open-data.md).

A dispatcher publishes a project of a year by putting its plan entry on the year's
key-project list that the setting `TIAODU_OPEN_DATA["LIST"]` names (公开项目 unless the
site chose another name), and withdraws it by taking it off: the plan form's lists, the
ledger's 所属清单 column, both written and audited by the project library's services. The
list is dated like every list (DOMAIN.md §8), so the audit log and the memberships say
since when a project was published.

This is the one read of the library that takes no actor: what is published is public, the
same for every reader, and nothing else is ever read here.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tiaodu.core import clock
from tiaodu.projects import lists as key_lists
from tiaodu.projects.models import AnnualPlan, KeyProjectList

# A registered OC4IDS project-identifier prefix: "oc4ids-" and six lower-case letters or digits.
PREFIX_SHAPE = re.compile(r"oc4ids-[a-z0-9]{6}")


class NotPublished(Exception):
    """Open data cannot be published as asked; the message says why and what to change."""


@dataclass(frozen=True)
class Publication:
    """The site's open-data settings, checked."""

    list_name: str
    prefix: str
    publisher: str
    url: str

    def package_url(self, year: int) -> str:
        """The public address of a year's package, "" when the site named none."""
        return self.url.replace("{year}", str(year))


def publication() -> Publication:
    """The site's settings; `NotPublished` names every one that is missing or malformed."""
    config = settings.TIAODU_OPEN_DATA
    prefix = str(config.get("OC4IDS_PREFIX", "")).strip()
    publisher = str(config.get("PUBLISHER", "")).strip()
    problems = []
    if not PREFIX_SHAPE.fullmatch(prefix):
        problems.append(
            _(
                "Set TIAODU_OC4IDS_PREFIX to the project-identifier prefix the site registered "
                "for OC4IDS (oc4ids- and six letters or digits, e.g. oc4ids-abc123)."
            )
        )
    if not publisher:
        problems.append(
            _("Set TIAODU_OPEN_DATA_PUBLISHER to the name of the body that publishes the data.")
        )
    if problems:
        raise NotPublished(" ".join([_("This site publishes no open data yet."), *problems]))
    return Publication(
        list_name=str(config.get("LIST", "")).strip(),
        prefix=prefix,
        publisher=publisher,
        url=str(config.get("URL", "")).strip(),
    )


def open_data_list(year: int) -> KeyProjectList | None:
    """The year's open-data list, None when the site has not made one for that year."""
    return KeyProjectList.objects.filter(year=year, name=publication().list_name).first()


def publication_day(year: int) -> dt.date:
    """The day whose list is published: today, or the nearer end of another year."""
    return key_lists.day_within(year, clock.today())


def published_plans(year: int) -> QuerySet[AnnualPlan]:
    """The plan entries of `year` on the open-data list as it stands on `publication_day`,
    with everything the package shows read in a few queries; none when there is no list."""
    key_list = open_data_list(year)
    if key_list is None:
        return AnnualPlan.objects.none()
    on_list = key_lists.plan_ids_on(publication_day(year), [key_list.pk])
    return (
        AnnualPlan.objects.filter(year=year, pk__in=on_list)
        .select_related("project__region", "project__owner_unit", "project__responsible_unit")
        .prefetch_related("project__procedures")
        .order_by("project_id")
    )

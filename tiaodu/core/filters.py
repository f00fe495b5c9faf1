"""The filters of the auditor's audit log, shared by the page and its xlsx export."""

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tiaodu.core.models import AuditAction, AuditEvent


def object_type_choices() -> list[tuple[str, str]]:
    """Every model of Tiaodu's own apps, as (label, verbose name), by verbose name."""
    choices = [
        (model._meta.label_lower, str(model._meta.verbose_name))
        for model in apps.get_models()
        if model.__module__.startswith("tiaodu.")
    ]
    return sorted(choices, key=lambda choice: choice[1])


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of a calendar day in the site's time zone (Asia/Shanghai)."""
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone()
    )


class AuditEventFilterSet(django_filters.FilterSet):
    """Free text, action, object type, outcome and a date range (dates in the site's zone)."""

    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    action = django_filters.ChoiceFilter(
        choices=AuditAction.choices, label=_("Action"), empty_label=_("All")
    )
    object_type = django_filters.ChoiceFilter(
        choices=object_type_choices, label=_("Object type"), empty_label=_("All")
    )
    outcome = django_filters.ChoiceFilter(
        choices=[("success", _("Succeeded")), ("failure", _("Failed"))],
        method="filter_outcome",
        label=_("Outcome"),
        empty_label=_("All"),
    )
    date_from = django_filters.DateFilter(
        method="filter_date_from",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to",
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def filter_text(
        self, queryset: QuerySet[AuditEvent], name: str, value: str
    ) -> QuerySet[AuditEvent]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(actor_name__icontains=value)
            | Q(actor__display_name__icontains=value)
            | Q(object_repr__icontains=value)
            | Q(message__icontains=value)
            | Q(source_address__icontains=value)
        )

    def filter_outcome(
        self, queryset: QuerySet[AuditEvent], name: str, value: str
    ) -> QuerySet[AuditEvent]:
        return queryset.filter(success=value == "success")

    def filter_date_from(
        self, queryset: QuerySet[AuditEvent], name: str, value: dt.date
    ) -> QuerySet[AuditEvent]:
        return queryset.filter(at__gte=local_midnight(value))

    def filter_date_to(
        self, queryset: QuerySet[AuditEvent], name: str, value: dt.date
    ) -> QuerySet[AuditEvent]:
        # Inclusive: the whole of the last day counts.
        return queryset.filter(at__lt=local_midnight(value + dt.timedelta(days=1)))

    @property
    def qs(self) -> Any:
        return super().qs.select_related("actor").order_by("-at", "-id")

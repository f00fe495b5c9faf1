"""Scoped reads of supervision notices."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tiaodu.core.scoping import restrict
from tiaodu.supervision.choices import NoticeStatus
from tiaodu.supervision.models import Notice


def notices_visible_to(actor: Any) -> QuerySet[Notice]:
    """Notices over the actor's regions' projects, or addressed to the actor's unit or to
    the actor as sponsoring leader; each once, though the region lookup crosses projects."""
    visible = restrict(Notice.objects.all(), actor).values("pk")
    return Notice.objects.filter(pk__in=visible).select_related(
        "recipient_unit", "sponsoring_leader", "issued_by"
    )


def notice_for(actor: Any, pk: int) -> Notice:
    """One notice the actor may see; 404 otherwise, so that it cannot be enumerated."""
    return get_object_or_404(notices_visible_to(actor), pk=pk)


def overdue_notices(actor: Any, *, today: dt.date) -> QuerySet[Notice]:
    """Issued, unanswered notices past their response deadline."""
    return notices_visible_to(actor).filter(status=NoticeStatus.ISSUED, response_deadline__lt=today)

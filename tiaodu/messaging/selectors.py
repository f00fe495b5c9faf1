"""The messaging pages' reads (the system administrator's: channels and dead letters)."""

from django.db.models import Count, Q, QuerySet

from tiaodu.messaging.choices import DeliveryStatus
from tiaodu.messaging.models import Channel, Delivery


def channels_with_counts() -> QuerySet[Channel]:
    """Every channel with how many messages it sent and how many failed for good."""
    return Channel.objects.select_related("org_unit").annotate(
        sent=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
        dead=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DEAD)),
    )


def dead_letters() -> QuerySet[Delivery]:
    return Delivery.objects.filter(status=DeliveryStatus.DEAD).select_related(
        "channel", "recipient"
    )


def waiting_count() -> int:
    return Delivery.objects.filter(status=DeliveryStatus.PENDING).count()

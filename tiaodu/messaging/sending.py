"""One attempt at a delivery, as the worker makes it: send by its transport; on failure
try again later (the waits double: BACKOFF_SECONDS, twice that, …) until ATTEMPTS
attempts have failed, and then keep it as a dead letter (docs/messaging.md)."""

import datetime as dt
import logging

from django.conf import settings

from tiaodu.core import clock
from tiaodu.messaging import transports
from tiaodu.messaging.choices import DeliveryStatus, Transport
from tiaodu.messaging.models import Delivery, MessagingProfile
from tiaodu.messaging.transports import Message, SendFailed

logger = logging.getLogger(__name__)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failure."""
    return dt.timedelta(seconds=settings.TIAODU_MESSAGING["BACKOFF_SECONDS"] * 2 ** (attempts - 1))


def send(delivery: Delivery) -> None:
    """Send the delivery by its transport, or raise `SendFailed`."""
    message = Message(title=delivery.title, text=delivery.text)
    match delivery.transport:
        case Transport.WECOM_ROBOT:
            assert delivery.channel is not None
            transports.wecom_robot(webhook_url=delivery.channel.webhook_url, message=message)
        case Transport.DINGTALK_ROBOT:
            assert delivery.channel is not None
            channel = delivery.channel
            transports.dingtalk_robot(
                webhook_url=channel.webhook_url, secret=channel.secret, message=message
            )
        case Transport.WECOM:
            profile = MessagingProfile.objects.filter(user=delivery.recipient).first()
            if profile is None or not profile.wecom_user_id or not transports.wecom_configured():
                raise SendFailed("no WeCom user id on the account, or WeCom not set up")
            transports.wecom_message(user_id=profile.wecom_user_id, message=message)
        case Transport.SMS:
            mobile = delivery.recipient.phone if delivery.recipient is not None else ""
            if not mobile or not transports.sms_configured():
                raise SendFailed("no mobile number on the account, or the SMS gateway not set up")
            transports.sms_gateway().send(mobile=mobile, message=message)
        case Transport.EMAIL:
            address = delivery.recipient.email if delivery.recipient is not None else ""
            if not address:
                raise SendFailed("no e-mail address on the account")
            transports.email(address=address, message=message)
        case _:
            raise SendFailed(f"unknown transport {delivery.transport}")


def attempt(delivery_id: int) -> dt.datetime | None:
    """Make one attempt at a waiting delivery that is due; returns when to try again (the
    delivery is not yet due, or it failed with attempts left), else None."""
    delivery = (
        Delivery.objects.select_related("channel", "recipient")
        .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
        .first()
    )
    if delivery is None:
        return None
    now = clock.now()
    if delivery.due_at > now:
        return delivery.due_at
    try:
        send(delivery)
    except SendFailed as failure:
        delivery.attempts += 1
        delivery.last_error = str(failure)
        if delivery.attempts >= settings.TIAODU_MESSAGING["ATTEMPTS"]:
            delivery.status = DeliveryStatus.DEAD
            logger.warning("Delivery %s is a dead letter: %s", delivery.pk, failure)
        else:
            delivery.due_at = now + backoff(delivery.attempts)
        delivery.save(update_fields=["attempts", "last_error", "status", "due_at"])
        return delivery.due_at if delivery.status == DeliveryStatus.PENDING else None
    delivery.attempts += 1
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = now
    delivery.save(update_fields=["attempts", "status", "sent_at"])
    return None

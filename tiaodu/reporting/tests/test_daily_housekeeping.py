"""The site's housekeeping on the daily round (reporting.tasks.daily_round): a request for an
act on an administrator's account left unconfirmed for a day is marked expired and forgets
the hash of its temporary password (accounts.confirmations.expire_overdue).

Personas (tiaodu.testing): secadmin asks for a reset of the auditor's password; no one
confirms it.
"""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tiaodu.accounts import confirmations
from tiaodu.accounts.models import AdminActionRequest, AdminActionStatus
from tiaodu.reporting.tasks import daily_round

pytestmark = pytest.mark.django_db


def test_the_daily_round_expires_unconfirmed_requests(world):
    asked = confirmations.request_password_reset(
        actor=world.secadmin, user=world.auditor, new_password="Harbour#Temp26"
    )
    daily_round.call()
    assert AdminActionRequest.objects.get(pk=asked.pk).status == AdminActionStatus.PENDING

    with time_machine.travel(timezone.now() + dt.timedelta(hours=25), tick=False):
        daily_round.call()

    stored = AdminActionRequest.objects.get(pk=asked.pk)
    assert (stored.status, stored.password) == (AdminActionStatus.EXPIRED, "")

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from tiaodu.messaging.tests import fake_vendors
from tiaodu.messaging.tests.fake_vendors import FakeVendors


@pytest.fixture
def vendors(settings: Any) -> Iterator[FakeVendors]:
    """The fake WeCom, DingTalk and SMS gateway, with the site set up to use them."""
    vendors, server = fake_vendors.serve()
    settings.TIAODU_MESSAGING = {
        **settings.TIAODU_MESSAGING,
        "SITE_URL": "https://tiaodu.example.gov.cn",
        "WECOM_API": vendors.url,
        "WECOM_CORP_ID": fake_vendors.CORP_ID,
        "WECOM_AGENT_ID": fake_vendors.AGENT_ID,
        "WECOM_SECRET": fake_vendors.CORP_SECRET,
        "SMS_URL": f"{vendors.url}/sms",
        "SMS_KEY": fake_vendors.SMS_KEY,
        "SMS_TEMPLATE": "SMS_501234",
        "ATTEMPTS": 3,
        "TIMEOUT": 5,
    }
    cache.clear()
    yield vendors
    server.shutdown()
    server.server_close()
    cache.clear()


@pytest.fixture
def deliver_due() -> Any:
    """Run the worker's task for each waiting delivery that is due on the clock."""
    from tiaodu.core import clock
    from tiaodu.messaging import tasks
    from tiaodu.messaging.choices import DeliveryStatus
    from tiaodu.messaging.models import Delivery

    def run() -> int:
        due = Delivery.objects.filter(status=DeliveryStatus.PENDING, due_at__lte=clock.now())
        pks = list(due.order_by("pk").values_list("pk", flat=True))
        for pk in pks:
            tasks.deliver.call(pk)
        return len(pks)

    return run

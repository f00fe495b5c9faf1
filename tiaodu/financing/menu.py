"""The financing-needs lists on the menu (registered in `FinancingConfig.ready`), with the
dispatch pages; for a financial institution, its one entry."""

from django.utils.translation import gettext_lazy as _

from tiaodu.accounts.navigation import DISPATCH, register_item
from tiaodu.financing import listings  # noqa: F401 (registers the list)
from tiaodu.financing.permissions import reads_financing


def register() -> None:
    register_item(
        "financing.lists", _("Financing needs"), "financing:lists", DISPATCH,
        icon="building-bank", order=130, visible=reads_financing,
    )  # fmt: skip

"""Rates as DOMAIN.md §4 writes them: percentages with two places, rounded half-up."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def percent(numerator: Decimal | int | None, denominator: Decimal | int | None) -> str | None:
    """numerator ÷ denominator × 100 as a string with two places ("77.45"), rounded half-up;
    None when the denominator is 0 (a rate of nothing is not 0%)."""
    if not denominator:
        return None
    value = Decimal(numerator or 0) * 100 / Decimal(denominator)
    return format(value.quantize(CENT, rounding=ROUND_HALF_UP), "f")

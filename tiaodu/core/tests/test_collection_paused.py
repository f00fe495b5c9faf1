"""core.bulk.collection_paused: the cyclic garbage collector paused for a computation that
builds many lasting objects, and back as it was afterwards, whatever happened."""

import gc

import pytest

from tiaodu.core import bulk


def test_paused_within_and_back_afterwards() -> None:
    assert gc.isenabled()
    with bulk.collection_paused():
        assert not gc.isenabled()
        with bulk.collection_paused():  # nested: the outermost pause ends it
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_back_after_an_error_and_left_off_when_it_was_off() -> None:
    with pytest.raises(ZeroDivisionError), bulk.collection_paused():
        _ = 1 / 0
    assert gc.isenabled()
    gc.disable()
    try:
        with bulk.collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_as_a_decorator() -> None:
    @bulk.collection_paused()
    def inside() -> bool:
        return gc.isenabled()

    assert inside() is False and gc.isenabled()

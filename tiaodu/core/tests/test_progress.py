"""core.progress.Every: when a background task's progress is worth saving."""

from tiaodu.core.progress import Every


def test_the_ends_of_a_count_and_once_a_second_between():
    now = [0.0]
    every = Every(1.0, clock=lambda: now[0])
    assert every.due(0, 100)  # the start
    now[0] = 0.5
    assert not every.due(10, 100)  # within the second
    assert every.due(10, 100, fresh=True)  # a new count
    now[0] = 1.2
    assert not every.due(20, 100)
    assert every.due(100, 100)  # the end, whenever
    now[0] = 2.3
    assert every.due(30, 100)  # a second on

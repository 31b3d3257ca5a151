"""The upkeep waits for a quiet moment; the collector's compaction frees and freezes."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot.upkeep import FULL_EVERY, Activity, Collector, Upkeep


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Cycle:
    """Kept alive only by itself once dropped: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def collector_state() -> Iterator[None]:
    """Compactions freeze the test process's objects: leave it as it was."""
    frozen_before = gc.get_freeze_count()
    yield
    if frozen_before == 0:
        gc.unfreeze()


def test_activity_is_quiet_only_once_everything_running_has_ended() -> None:
    clock = Clock()
    activity = Activity(clock)
    clock.now += 5
    assert activity.quiet_for() == 5
    with activity.running():
        with activity.running():
            clock.now += 1
            assert activity.quiet_for() == 0
        clock.now += 1
        assert activity.quiet_for() == 0  # the outer one still runs
    clock.now += 0.25
    assert activity.quiet_for() == 0.25
    with pytest.raises(RuntimeError), activity.running():
        raise RuntimeError("a request that failed has ended too")
    assert activity.quiet_for() == 0


def test_the_upkeep_runs_its_tasks_only_in_a_quiet_moment() -> None:
    clock = Clock()
    activity = Activity(clock)
    ran: list[str] = []

    def failing() -> bool:
        ran.append("failing")
        raise OSError("disk")

    def next_one() -> bool:
        ran.append("next")
        return True

    upkeep = Upkeep({"failing": failing, "next": next_one}, activity=activity, quiet=0.3)
    assert upkeep.step() is False and ran == []  # just started: not quiet for long enough
    clock.now += 0.3
    with activity.running():
        assert upkeep.step() is False and ran == []
    clock.now += 0.29
    assert upkeep.step() is False
    clock.now += 0.01
    assert upkeep.step() is True
    assert ran == ["failing", "next"]  # a failing task does not stop the others


def test_a_compaction_frees_cyclic_garbage_and_freezes_what_lives(collector_state: None) -> None:
    collector = Collector(Clock())
    dead = Cycle()
    dead_ref = weakref.ref(dead)
    alive = Cycle()
    del dead
    frozen_before = gc.get_freeze_count()
    collector.compact()
    assert dead_ref() is None
    assert gc.get_freeze_count() > frozen_before
    # Frozen: no automatic collection walks it any more.
    assert all(alive is not obj for generation in range(3) for obj in gc.get_objects(generation))
    assert not collector.due()
    gc.collect(0)  # what allocations under load set off
    assert collector.due()


def test_garbage_among_frozen_objects_is_freed_by_the_hourly_full_compaction(
    collector_state: None,
) -> None:
    clock = Clock()
    collector = Collector(clock)
    frozen = Cycle()
    frozen_ref = weakref.ref(frozen)
    collector.compact()  # alive now: frozen
    del frozen
    collector.compact()
    assert frozen_ref() is not None  # a frozen cycle is not looked at again...
    clock.now += FULL_EVERY
    collector.compact()
    assert frozen_ref() is None  # ...until the full compaction

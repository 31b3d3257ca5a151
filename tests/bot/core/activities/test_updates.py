"""Finding activities and recording updates, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from bot.context import Knalle
from bot.core.activities import updates as core
from bot.core.plan.lights import Light
from bot.errors import InvalidInput, NotFound
from storage.models import ActivityUpdate
from tests.handlers.activity_plan import build_plan

UTC = dt.UTC
FOLLOWUPS = ["06-15", "12-15"]
NOW = dt.datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def ids(knalle: Knalle) -> dict[str, int]:
    with knalle.db.write() as session:
        return build_plan(session)


def parse(knalle: Knalle, text: str) -> core.PendingUpdate:
    with knalle.db.read() as session:
        plan = core.plan_or_fail(session, NOW.date())
        return core.parse_update(session, plan.id, text)


def test_finds_by_number_title_words_and_fuzzy(knalle: Knalle, ids: dict[str, int]) -> None:
    with knalle.db.read() as session:
        plan = core.plan_or_fail(session, NOW.date())
        assert core.find_activity(session, plan.id, "1.5.6").id == ids["företagsamt"]
        assert core.find_activity(session, plan.id, "företagsamt").id == ids["företagsamt"]
        # The whole title beats the two longer titles that contain the word.
        assert core.find_activity(session, plan.id, "Företagsbesök").id == ids["besök"]
        assert core.find_activity(session, plan.id, "cirkulär").id == ids["textil"]
        assert core.find_activity(session, plan.id, "UF").id == ids["uf"]
        assert core.find_activity(session, plan.id, "Företagsamd").id == ids["företagsamt"]
        assert core.find_activity(session, plan.id, "109+").id == ids["109+"]


def test_ambiguous_name_offers_candidates(knalle: Knalle, ids: dict[str, int]) -> None:
    with knalle.db.read() as session:
        plan = core.plan_or_fail(session, NOW.date())
        with pytest.raises(core.AmbiguousActivity) as caught:
            core.find_activity(session, plan.id, "koncentrerade")
        assert {ref.id for ref in caught.value.activities} == {ids["109"], ids["109+"]}
        assert "flera aktiviteter" in caught.value.message
        # A section number offers the activities under it.
        with pytest.raises(core.AmbiguousActivity) as section:
            core.find_activity(session, plan.id, "1.2")
        assert len(section.value.activities) == 3


def test_unknown_activity_names_it(knalle: Knalle, ids: dict[str, int]) -> None:
    with knalle.db.read() as session:
        plan = core.plan_or_fail(session, NOW.date())
        with pytest.raises(NotFound) as caught:
            core.find_activity(session, plan.id, "Rymdresor")
    assert "Rymdresor" in caught.value.message and "1.5.6" in caught.value.message


def test_parse_number_light_comment(knalle: Knalle, ids: dict[str, int]) -> None:
    pending = parse(knalle, "1.5.6 grön Klart")
    assert pending.activity is not None and pending.activity.id == ids["företagsamt"]
    assert pending.light is Light.GRON and pending.comment == "Klart"


def test_parse_several_word_name_and_legend_phrase(knalle: Knalle, ids: dict[str, int]) -> None:
    pending = parse(knalle, "Cirkulär textil delvis klart, väntar på Science Park")
    assert pending.activity is not None and pending.activity.id == ids["textil"]
    assert pending.light is Light.GUL
    assert pending.comment == "väntar på Science Park"


def test_a_light_word_inside_the_comment_does_not_steal_the_name(
    knalle: Knalle, ids: dict[str, int]
) -> None:
    pending = parse(knalle, "Företagsamt gul Decembernumret försenat, grön i januari")
    assert pending.activity is not None and pending.activity.id == ids["företagsamt"]
    assert pending.light is Light.GUL
    assert pending.comment == "Decembernumret försenat, grön i januari"


def test_parse_ambiguous_keeps_light_and_comment(knalle: Knalle, ids: dict[str, int]) -> None:
    pending = parse(knalle, "koncentrerade röd Inga besök i år")
    assert pending.activity is None
    assert {ref.id for ref in pending.candidates} == {ids["109"], ids["109+"]}
    assert pending.light is Light.ROD and pending.comment == "Inga besök i år"


@pytest.mark.parametrize(
    ("text", "error", "words"),
    [
        ("Företagsamt blå Decembernumret", InvalidInput, ["blå", "grön, gul, röd eller grå"]),
        ("Företagsamt", InvalidInput, ["ljus och kommentar"]),
        ("Företagsamt gul", InvalidInput, ["Kommentaren saknas"]),
        ("Företagsamt gul   ", InvalidInput, ["Kommentaren saknas"]),
        ("Rymdresor gul Klart", NotFound, ["Rymdresor", "/aktivitet mina"]),
        ("Företagsamt gul " + "x" * 1501, InvalidInput, ["1501 tecken", "1500"]),
    ],
)
def test_bad_input_says_what_to_write(
    knalle: Knalle, ids: dict[str, int], text: str, error: type[Exception], words: list[str]
) -> None:
    with pytest.raises(error) as caught:
        parse(knalle, text)
    for word in words:
        assert word in str(caught.value)


def test_no_plan_is_a_clear_error(knalle: Knalle) -> None:
    with knalle.db.read() as session, pytest.raises(NotFound) as caught:
        core.plan_or_fail(session, NOW.date())
    assert "knalle plan import" in caught.value.message


def count_updates(knalle: Knalle) -> int:
    with knalle.db.read() as session:
        return int(session.scalar(select(func.count(ActivityUpdate.id))) or 0)


def test_record_update_stores_period_author_and_source(knalle: Knalle, ids: dict[str, int]) -> None:
    with knalle.db.write() as session:
        receipt = core.record_update(
            session,
            activity_id=ids["företagsamt"],
            light=Light.GUL,
            comment="  Decembernumret försenat ",
            author_slack_id="UPIA",
            now=NOW,
            followup_dates=FOLLOWUPS,
            source="console",
        )
    assert receipt.stored and receipt.period.label == "2026-H2"
    assert receipt.owners == ("Anna M", "Pia")
    with knalle.db.read() as session:
        row = session.scalars(select(ActivityUpdate)).one()
        assert (row.light, row.comment, row.period) == ("gul", "Decembernumret försenat", "2026-H2")
        assert (row.author_slack_id, row.author_name, row.source) == ("UPIA", "Pia", "console")


def test_anyone_may_update_and_unknown_users_keep_their_slack_name(
    knalle: Knalle, ids: dict[str, int]
) -> None:
    with knalle.db.write() as session:
        receipt = core.record_update(
            session,
            activity_id=ids["företagsamt"],
            light=Light.GRON,
            comment="Klart",
            author_slack_id="UOKAND",
            author_name="kalle",
            now=NOW,
            followup_dates=FOLLOWUPS,
        )
    assert receipt.update.author_name == "kalle"


def test_double_submit_is_stored_once(knalle: Knalle, ids: dict[str, int]) -> None:
    def submit(at: dt.datetime, key: str | None = None) -> core.Receipt:
        with knalle.db.write() as session:
            return core.record_update(
                session,
                activity_id=ids["företagsamt"],
                light=Light.GUL,
                comment="Försenat",
                author_slack_id="UPIA",
                now=at,
                followup_dates=FOLLOWUPS,
                submission_key=key,
            )

    first = submit(NOW)
    again = submit(NOW + dt.timedelta(seconds=20))
    assert first.stored and not again.stored and again.update.id == first.update.id
    assert count_updates(knalle) == 1
    # The same words much later are a new update (someone reverting a change, say).
    assert submit(NOW + dt.timedelta(minutes=5)).stored
    assert submit(NOW, key=core.view_key("V123")).stored
    assert not submit(NOW + dt.timedelta(minutes=9), key=core.view_key("V123")).stored
    assert count_updates(knalle) == 3


def test_record_refuses_empty_comment_and_stores_nothing(
    knalle: Knalle, ids: dict[str, int]
) -> None:
    with knalle.db.write() as session, pytest.raises(InvalidInput):
        core.record_update(
            session,
            activity_id=ids["företagsamt"],
            light=Light.GUL,
            comment=" ",
            author_slack_id="UPIA",
            now=NOW,
            followup_dates=FOLLOWUPS,
        )
    assert count_updates(knalle) == 0


def test_my_activities_include_alla_and_show_current_period(
    knalle: Knalle, ids: dict[str, int]
) -> None:
    with knalle.db.write() as session:
        for light, comment, at in [
            (Light.GRON, "Förra perioden", dt.datetime(2026, 5, 1, tzinfo=UTC)),
            (Light.GUL, "Nu", NOW),
        ]:
            core.record_update(
                session,
                activity_id=ids["företagsamt"],
                light=light,
                comment=comment,
                author_slack_id="UANNAM",
                now=at,
                followup_dates=FOLLOWUPS,
            )
        core.record_update(
            session,
            activity_id=ids["besök"],
            light=Light.ROD,
            comment="Våren",
            author_slack_id="UPIA",
            now=dt.datetime(2026, 5, 1, tzinfo=UTC),
            followup_dates=FOLLOWUPS,
        )
    with knalle.db.read() as session:
        mine = core.my_activities(session, "UPIA", NOW.date(), FOLLOWUPS)
        unknown = core.my_activities(session, "UNOBODY", NOW.date(), FOLLOWUPS)
    assert mine.staff_name == "Pia"
    numbers = [status.ref.number for status in mine.activities]
    assert numbers == ["1.2.1", "1.2.3", "1.5.6"]
    by_number = {status.ref.number: status for status in mine.activities}
    assert by_number["1.5.6"].current is not None
    assert by_number["1.5.6"].current.author_name == "Anna M"
    assert by_number["1.2.3"].current is None and by_number["1.2.3"].latest is not None
    assert [status.ref.number for status in mine.unreported] == ["1.2.1", "1.2.3"]
    assert unknown.staff_name is None and unknown.activities == ()


def test_activity_detail_has_full_history(knalle: Knalle, ids: dict[str, int]) -> None:
    with knalle.db.write() as session:
        for light, comment, at in [
            (Light.GRON, "Första", dt.datetime(2026, 5, 1, tzinfo=UTC)),
            (Light.GUL, "Andra", NOW),
        ]:
            core.record_update(
                session,
                activity_id=ids["företagsamt"],
                light=light,
                comment=comment,
                author_slack_id="UPIA",
                now=at,
                followup_dates=FOLLOWUPS,
            )
    with knalle.db.read() as session:
        detail = core.activity_detail(session, ids["företagsamt"], NOW.date(), FOLLOWUPS)
    assert detail.section == "1.5 Entreprenörskap"
    assert detail.status.priority == "Hög"
    assert [(u.light, u.comment, u.period) for u in detail.history] == [
        (Light.GRON, "Första", "2026-H1"),
        (Light.GUL, "Andra", "2026-H2"),
    ]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Företagsamt gul Decembernumret försenat", "1.5.6"),
        ("Företagsbesök grön Bra", "1.2.3"),
        ("109+ gul Fler besök", "1.2.2"),
        ("batterifabrik röd Lagt ner", "2.6.3"),
        ("cirkulär textil grön Klart", "3.1.3"),
        ("UF grön Klart", "2.1.1"),
        ("exportlyft delvis klart, fortsätter", "2.4.3"),
        ("Naringslivsdagen genomfört enligt plan Bra", "1.1.1"),
        ("CRM grön Bytt system", "1.5.2"),
        ("beredskap grå pandemi", "8.6.1"),
    ],
)
def test_the_shipped_plan_is_found_by_what_people_type(
    sqlite_knalle: Knalle, text: str, number: str
) -> None:
    from pathlib import Path

    from bot.core.plan.importer import import_plan_file

    plan_file = Path(__file__).resolve().parents[4] / "data" / "plans" / "boras-2022.yaml"
    day = dt.datetime(2022, 11, 24, tzinfo=UTC)
    with sqlite_knalle.db.write() as session:
        import_plan_file(session, plan_file, day)
    with sqlite_knalle.db.read() as session:
        plan = core.plan_or_fail(session, day.date())
        pending = core.parse_update(session, plan.id, text)
    assert pending.activity is not None and pending.activity.number == number


def test_a_bare_number_that_is_no_section_is_looked_for_in_titles(
    knalle: Knalle, ids: dict[str, int]
) -> None:
    pending = parse(knalle, "109 gul Fler besök")
    assert {ref.id for ref in pending.candidates} == {ids["109"], ids["109+"]}


def test_simultaneous_double_submits_store_one_update(knalle: Knalle, ids: dict[str, int]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def submit(_: int) -> bool:
        with knalle.db.write() as session:
            return core.record_update(
                session,
                activity_id=ids["företagsamt"],
                light=Light.GUL,
                comment="Samtidigt",
                author_slack_id="UPIA",
                now=NOW,
                followup_dates=FOLLOWUPS,
            ).stored

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(submit, range(6)))
    assert results.count(True) == 1
    assert count_updates(knalle) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Företagsamt blå Decembernumret försenat",
        "Företagsamt lila försenat",
        "1.5.6 blått försenat",
        "Företagsbesök orange Decembernumret",
        "Koncentrerade företagsbesök lila inga besök",
    ],
)
def test_an_unknown_light_word_is_named_not_the_word_after_it(
    knalle: Knalle, ids: dict[str, int], text: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(knalle, text)
    unknown = next(w for w in ("blå", "lila", "blått", "orange") if w in text.split())
    assert f"”{unknown}” är inget ljus" in caught.value.message


@pytest.mark.parametrize(
    ("written", "light"),
    [
        ("grön", Light.GRON), ("grönt", Light.GRON), ("Grön", Light.GRON), ("GRÖN", Light.GRON),
        ("klar", Light.GRON), ("klart", Light.GRON), ("Klart", Light.GRON),
        ("🟢", Light.GRON), ("🟡", Light.GUL), ("🔴", Light.ROD), ("⚪", Light.GRA),
        ("⚪️", Light.GRA), (":large_green_circle:", Light.GRON),
        (":large_yellow_circle:", Light.GUL), (":red_circle:", Light.ROD),
        (":white_circle:", Light.GRA), (":large_red_circle:", Light.ROD),
    ],
)  # fmt: skip
def test_every_way_people_write_a_light(
    knalle: Knalle, ids: dict[str, int], written: str, light: Light
) -> None:
    pending = parse(knalle, f"Företagsamt {written} Decembernumret klart")
    assert pending.light is light
    assert pending.comment == "Decembernumret klart"

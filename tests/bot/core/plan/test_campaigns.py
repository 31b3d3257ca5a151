"""Campaign targets: who counts as a politician, and the 109-campaign against a hand count."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.context import Knalle
from bot.core.followup.calendar import Schedule
from bot.core.followup.digest import team_digest
from bot.core.home import home_data
from bot.core.plan import campaigns
from bot.core.plan.campaigns import Politician, PoliticianMatcher
from bot.core.plan.file import PlanFileError, parse_yaml_text
from bot.core.plan.importer import import_plan_file
from bot.files.report import report_file
from storage import activities
from tests import units
from tests.storage import factories as make

PLAN = Path(__file__).resolve().parents[4] / "data" / "plans" / "boras-2022.yaml"

# (date, others, counts toward "109 företagsbesök"?) — the hand count below is 6.
VISITS: list[tuple[dt.date, list[str], bool, bool]] = [
    (dt.date(2021, 8, 31), ["KSO"], False, False),  # the day before the campaign
    (dt.date(2021, 9, 1), ["KSO"], True, False),
    (dt.date(2021, 12, 24), ["kommunalrådet Annette Carlson"], True, False),
    (dt.date(2022, 3, 3), ["Annette Carlson"], True, False),  # a named politician
    (dt.date(2022, 4, 4), ["Pia från Almi"], False, False),
    (dt.date(2022, 5, 5), ["VD:n", "KS-ledamot Per Persson"], True, False),
    (dt.date(2022, 6, 6), ["riksdagsledamoten Kim Berg"], True, False),
    (dt.date(2022, 7, 7), [], False, False),
    (dt.date(2022, 8, 8), ["Peter Jackson"], False, False),  # "kso" inside a name is no KSO
    (dt.date(2022, 10, 10), ["KSO"], False, True),  # undone
    (dt.date(2022, 11, 11), ["Ola", "oppositionsrådet Malin"], True, False),
    (dt.date(2023, 1, 2), ["KSO"], False, False),  # after the end
]
HAND_COUNT = sum(1 for _, _, counts, _ in VISITS if counts)


@pytest.fixture
def campaign_world(knalle: Knalle) -> Knalle:
    with knalle.db.write() as session:
        import_plan_file(session, PLAN, knalle.clock.now())
        company = make.company(session, "Ellos AB")
        for day, others, _, deleted in VISITS:
            visit = make.visit(session, company, day, deleted=deleted)
            visit.others = others
    return knalle


@pytest.mark.parametrize(
    ("other", "politician"),
    [
        ("KSO", True),
        ("kso", True),
        ("kommunalrådet Annette Carlson", True),
        ("KS-ledamot Per Persson", True),
        ("riksdagsledamot Anna Andersson", True),
        ("Annette", True),  # an alias in the plan
        ("Peter Jackson", False),
        ("VD Anna", False),
        ("Almi", False),
    ],
)
def test_who_counts_as_a_politician(other: str, politician: bool) -> None:
    matcher = PoliticianMatcher([Politician("Annette Carlson", "kommunalråd", ("Annette",))])
    assert matcher.is_politician(other) is politician


def test_the_109_campaign_matches_a_hand_count(campaign_world: Knalle) -> None:
    assert HAND_COUNT == 6
    with campaign_world.db.read() as session:
        plan = activities.plan_for_year(session, 2022)
        found = campaigns.progress_for(session, plan, dt.date(2023, 3, 1))
    assert len(found) == 1
    progress = found[0]
    assert progress.campaign.name == "109 företagsbesök" and progress.campaign.target == 109
    assert progress.counted == HAND_COUNT and progress.finished
    assert campaigns.describe(progress) == (
        "109 företagsbesök: 6 av 109 besök med minst en politiker (6 %), "
        "1 sep 2021 – 31 dec 2022. Kampanjen slutade 103 besök från målet."
    )


def test_pace_while_the_campaign_runs(campaign_world: Knalle) -> None:
    with campaign_world.db.read() as session:
        plan = activities.plan_for_year(session, 2022)
        (progress,) = campaigns.progress_for(session, plan, dt.date(2022, 6, 30))
    assert progress.counted == 5  # Sep 1, Dec 24, Mar 3, May 5, Jun 6
    # 303 of the campaign's 487 days: a steady pace gives floor(109 * 303 / 487) = 67.
    assert progress.expected == 67
    text = campaigns.describe(progress)
    assert "Jämn takt hade gett 67 t.o.m. 30 juni 2022: efter takten. 104 kvar" in text
    assert "i veckan" in text


def test_statistics_home_digest_and_report_show_the_campaign(
    campaign_world: Knalle, clock: FixedClock
) -> None:
    clock.current = dt.datetime(2022, 6, 30, 10, tzinfo=campaign_world.settings.zone)
    stats = units.statistics(campaign_world, "2022")
    assert stats.campaigns and stats.campaigns[0].startswith("109 företagsbesök: 5 av 109")
    with campaign_world.db.read() as session:
        home = home_data(
            session,
            "UPIA",
            dt.date(2022, 6, 30),
            followup_dates=["06-15", "12-15"],
            visit_target=150,
        )
        digest = team_digest(session, dt.date(2022, 6, 27), Schedule(), target=150)
    assert home.campaigns[0].startswith("109 företagsbesök: 5 av 109")
    assert digest.campaigns[0].startswith("109 företagsbesök: 5 av 109")
    _, data = report_file(campaign_world, "2022-H2", "md")
    # Before the follow-up day the report is preliminary and counts to today: 5, as above.
    assert "- 109 företagsbesök: 5 av 109 besök med minst en politiker" in data.decode()


def test_a_campaign_that_ended_in_an_earlier_year_is_history_in_2026(
    campaign_world: Knalle, clock: FixedClock
) -> None:
    """The 2022 plan stays in force in 2026 (the latest plan), but its 2021–2022 campaign is
    over: Home, the digest and the 2026 report must not show it as lost every week."""
    clock.current = dt.datetime(2026, 12, 1, 10, tzinfo=campaign_world.settings.zone)
    with campaign_world.db.read() as session:
        home = home_data(
            session,
            "UPIA",
            dt.date(2026, 12, 1),
            followup_dates=["06-15", "12-15"],
            visit_target=150,
        )
        digest = team_digest(session, dt.date(2026, 11, 30), Schedule(), target=150)
    assert home.campaigns == ()
    assert digest.campaigns == ()
    assert units.statistics(campaign_world, "2026").campaigns == ()
    _, data = report_file(campaign_world, "2026-H2", "md")
    assert "109 företagsbesök: " not in data.decode()
    # …while the report of its own year still shows it.
    _, data = report_file(campaign_world, "2022-H2", "md")
    assert "109 företagsbesök: 6 av 109" in data.decode()


def test_a_bad_campaign_is_refused_with_its_key_path() -> None:
    text = """
år: 2022
namn: Plan
kampanjer:
  - namn: 109 företagsbesök
    mål: många
    krav: minst en borgmästare
    från: 2022-12-31
    till: 2022-01-01
kapitel:
  - nummer: "1"
    titel: A
    avsnitt:
      - nummer: "1.1"
        titel: B
        aktiviteter: []
"""
    with pytest.raises(PlanFileError) as raised:
        parse_yaml_text(text)
    problems = "\n".join(raised.value.problems)
    assert "kampanjer[0].mål" in problems and "kampanjer[0].krav" in problems
    assert "kampanjer[0].till" in problems

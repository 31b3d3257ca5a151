"""Reads and validates a plan file (YAML, or a spreadsheet: .xlsx / .csv) into plain data.

The whole file is checked before anything is stored: every problem is collected with the key path
(`kapitel[0].avsnitt[1].aktiviteter[2].prio`) or the spreadsheet row and column, and reported in
Swedish at once. The format is documented in docs/plan-format.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from bot.core.lights import Light, parse_light
from bot.errors import InvalidInput

EVERYONE = "Alla"
CONCERNED = "Berörda"
SPECIAL_OWNERS = (EVERYONE, CONCERNED)

PRIORITIES = {"hög": "Hög", "medel": "Medel", "mellan": "Medel", "låg": "Låg"}
PRIORITY_HINT = "skriv Hög, Medel (eller Mellan) eller Låg"
LIGHT_HINT = "skriv grön, gul, röd eller grå (eller legendens ord, t.ex. ”delvis klart”)"

# Column widths of the tables (storage/models/plan.py): checked here for a Swedish message.
MAX_PLAN_NAME = 200
MAX_TITLE = 300
MAX_OWNER = 64
MAX_FOLLOW_UP = 300
MAX_KEY_FIGURE_NAME = 200
MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_REPORTED_PROBLEMS = 25

_CHAPTER_NUMBER = re.compile(r"^\d{1,3}$")
_SECTION_NUMBER = re.compile(r"^\d{1,3}\.\d{1,3}$")
_ACTIVITY_NUMBER = re.compile(r"^\d{1,3}\.\d{1,3}\.\d{1,3}$")
_PERIOD = re.compile(r"^(\d{4})-H([12])$")

PLAN_KEYS = {"år", "namn", "personal", "kapitel", "nyckeltal", "kampanjer", "politiker"}
CAMPAIGN_KEYS = {"namn", "mål", "krav", "från", "till"}
POLITICIAN_KEYS = {"namn", "titel", "alias"}
# What a campaign may require of a visit besides being one: today, that a politician was there.
REQUIRES_POLITICIAN = "minst en politiker"
CAMPAIGN_REQUIREMENTS = (REQUIRES_POLITICIAN,)
CHAPTER_KEYS = {"nummer", "titel", "beskrivning", "avsnitt"}
SECTION_KEYS = {"nummer", "titel", "beskrivning", "aktiviteter"}
ACTIVITY_KEYS = {
    "nummer",
    "titel",
    "beskrivning",
    "syfte",
    "mål",
    "åtgärder",
    "när",
    "vem",
    "prio",
    "uppföljning",
    "uppdateringar",
}
UPDATE_KEYS = {"period", "datum", "ljus", "kommentar"}
KEY_FIGURE_KEYS = {"namn", "stratsys", "värden"}
KEY_FIGURE_VALUE_KEYS = {"år", "mål", "utfall", "uppfyllt", "kommentar"}

SPREADSHEET_COLUMNS = (
    "nummer",
    "kapitel",
    "avsnitt",
    "titel",
    "syfte",
    "mål",
    "åtgärder",
    "när",
    "vem",
    "prio",
    "uppföljning",
)
YAML_SUFFIXES = {".yaml", ".yml"}

_Child = TypeVar("_Child")


@dataclass(frozen=True)
class UpdateData:
    period: str
    day: dt.date
    light: Light | None
    comment: str


@dataclass(frozen=True)
class ActivityData:
    number: str
    title: str
    purpose: str | None
    goal: str | None
    actions: tuple[str, ...]
    years: tuple[int, ...]
    owners: tuple[str, ...]
    priority: str | None  # Hög | Medel | Låg ("Mellan" already read as Medel)
    follow_up: str | None
    updates: tuple[UpdateData, ...] = ()
    description: str | None = None


@dataclass(frozen=True)
class SectionData:
    number: str
    title: str
    activities: tuple[ActivityData, ...]
    description: str | None = None


@dataclass(frozen=True)
class ChapterData:
    number: str
    title: str
    sections: tuple[SectionData, ...]
    description: str | None = None


@dataclass(frozen=True)
class KeyFigureValueData:
    year: int
    target: str | None
    outcome: str | None
    met: bool | None
    comment: str | None = None


@dataclass(frozen=True)
class KeyFigureData:
    name: str
    stratsys: bool
    values: tuple[KeyFigureValueData, ...]


@dataclass(frozen=True)
class CampaignData:
    """A visit target beside the yearly one: "109 företagsbesök: 109 besök med minst en
    politiker, 2021-09-01 – 2022-12-31"."""

    name: str
    target: int
    requirement: str | None  # REQUIRES_POLITICIAN, or None: every visit counts
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class PoliticianData:
    name: str
    title: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanData:
    year: int
    name: str | None  # None: a spreadsheet, which has no plan name
    staff: tuple[str, ...] | None  # the `personal` list; None when the file has none
    chapters: tuple[ChapterData, ...]
    key_figures: tuple[KeyFigureData, ...] = ()
    campaigns: tuple[CampaignData, ...] = ()
    politicians: tuple[PoliticianData, ...] = ()

    def activities(self) -> list[ActivityData]:
        return [a for c in self.chapters for s in c.sections for a in s.activities]


class PlanFileError(InvalidInput):
    """The file has problems; `problems` lists each with where it is. Nothing was imported."""

    def __init__(self, source: str, problems: list[str]) -> None:
        shown = problems[:MAX_REPORTED_PROBLEMS]
        lines = [f"Planen i {source} importerades inte ({_count_problems(len(problems))}):"]
        lines += [f"  - {p}" for p in shown]
        if len(problems) > len(shown):
            lines.append(f"  … och {len(problems) - len(shown)} fel till.")
        lines.append(
            "Rätta filen och kör `knalle plan import` igen; "
            "formatet beskrivs i docs/plan-format.md."
        )
        super().__init__("\n".join(lines))
        self.problems = problems


def _count_problems(n: int) -> str:
    return "1 fel" if n == 1 else f"{n} fel"


def read_plan_file(path: Path, *, year: int | None = None) -> PlanData:
    """The validated plan in `path`; raises PlanFileError (an InvalidInput) naming every problem.

    `year` sets the plan year of a spreadsheet (default: the earliest year in its `när` column).
    """
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InvalidInput(
            f"Hittar ingen fil {path}. Ange sökvägen till en .yaml-, .xlsx- eller .csv-fil."
        )
    if suffix in YAML_SUFFIXES:
        if year is not None:
            raise InvalidInput(
                "En YAML-plan anger sitt år själv (nyckeln `år`); --år gäller bara .xlsx och .csv."
            )
        return parse_yaml_text(path.read_text(encoding="utf-8-sig"), source=path.name)
    if suffix == ".csv":
        return parse_rows(_csv_rows(path), source=path.name, year=year)
    if suffix in {".xlsx", ".xlsm"}:
        return parse_rows(_xlsx_rows(path), source=path.name, year=year)
    raise InvalidInput(
        f"Okänt filformat {path.suffix or '(inget filnamnstillägg)'} för {path.name}: "
        "ange en .yaml-, .xlsx- eller .csv-fil."
    )


# --- YAML --------------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """safe_load that refuses a key written twice (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str | int | float | bool | dt.date | None):
            continue  # an unhashable key; the mapping check reports it
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"nyckeln {key!r} står två gånger", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def parse_yaml_text(text: str, *, source: str = "planfilen") -> PlanData:
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"rad {mark.line + 1}, kolumn {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise PlanFileError(source, [f"{where}filen är inte giltig YAML ({problem})"]) from exc
    return _Yaml(source).plan(data)


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}" if where else message)


def _quoted(value: object) -> str:
    """A wrong value as the message names it: text in quotes, anything else described."""
    return f"”{value.strip()}”" if isinstance(value, str) else _describe(value)


def _describe(value: object) -> str:
    if value is None:
        return "tomt (null)"
    if isinstance(value, bool):
        return "ja/nej-värdet " + ("true" if value else "false")
    if isinstance(value, str):
        return f"texten ”{value}”"
    if isinstance(value, int):
        return f"talet {value}"
    if isinstance(value, float):
        return f'decimaltalet {value} (sätt citattecken runt nummer: "1.2")'
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, dict):
        return "en samling nycklar"
    return type(value).__name__


class _Yaml:
    """Walks the loaded YAML, collecting every problem with its key path."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems = _Problems()
        self.staff: tuple[str, ...] | None = None

    # Small typed readers. Each returns None (and records a problem) when the value is wrong.

    def mapping(self, value: object, where: str, allowed: set[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problems.add(where, f"ska vara en samling nycklar, inte {_describe(value)}")
            return None
        for key in value:
            if key not in allowed:
                known = ", ".join(sorted(allowed))
                self.problems.add(
                    _join(where, str(key)), f"okänd nyckel; tillåtna nycklar här: {known}"
                )
        return value

    def present(self, data: Mapping[str, Any], key: str, where: str) -> bool:
        if key not in data:
            self.problems.add(_join(where, key), "saknas (nyckeln måste finnas)")
            return False
        return True

    def text(
        self,
        data: Mapping[str, Any],
        key: str,
        where: str,
        *,
        required: bool = True,
        nullable: bool = False,
        max_length: int | None = None,
    ) -> str | None:
        path = _join(where, key)
        if key not in data:
            if required:
                self.problems.add(path, "saknas (nyckeln måste finnas)")
            return None
        value = data[key]
        if value is None:
            if not nullable:
                self.problems.add(path, "får inte vara tomt; skriv en text")
            return None
        if not isinstance(value, str):
            self.problems.add(path, f"ska vara en text, inte {_describe(value)}")
            return None
        value = value.strip()
        if not value and not nullable:
            self.problems.add(path, "får inte vara tomt; skriv en text")
            return None
        if max_length is not None and len(value) > max_length:
            self.problems.add(path, f"är {len(value)} tecken; högst {max_length} går")
            return None
        return value or None

    def year(self, value: object, where: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.add(where, f"ska vara ett årtal som 2022, inte {_describe(value)}")
            return None
        if not MIN_YEAR <= value <= MAX_YEAR:
            self.problems.add(where, f"årtalet {value} är orimligt; skriv t.ex. 2022")
            return None
        return value

    def items(self, data: Mapping[str, Any], key: str, where: str) -> list[Any]:
        path = _join(where, key)
        value = data.get(key)
        if key in data and not isinstance(value, list):
            self.problems.add(path, f"ska vara en lista, inte {_describe(value)}")
            return []
        return value or []

    def string_list(self, data: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        result: list[str] = []
        for i, item in enumerate(self.items(data, key, where)):
            path = f"{_join(where, key)}[{i}]"
            if not isinstance(item, str) or not item.strip():
                self.problems.add(path, f"ska vara en text, inte {_describe(item)}")
                continue
            result.append(item.strip())
        return tuple(result)

    # The tree.

    def plan(self, data: object) -> PlanData:
        top = self.mapping(data, "", PLAN_KEYS)
        if top is None:
            raise PlanFileError(self.source, self.problems.items)
        year = self.year(top["år"], "år") if self.present(top, "år", "") else None
        name = self.text(top, "namn", "", max_length=MAX_PLAN_NAME)
        if "personal" in top:
            staff = self.string_list(top, "personal", "")
            self._check_staff(staff)
            self.staff = staff
        if self.present(top, "kapitel", "") and not top["kapitel"]:
            self.problems.add("kapitel", "listan är tom; en plan har minst ett kapitel")
        chapters = [
            self.chapter(raw, f"kapitel[{i}]")
            for i, raw in enumerate(self.items(top, "kapitel", ""))
        ]
        figures = [
            self.key_figure(raw, f"nyckeltal[{i}]")
            for i, raw in enumerate(self.items(top, "nyckeltal", ""))
        ]
        campaigns = [
            self.campaign(raw, f"kampanjer[{i}]")
            for i, raw in enumerate(self.items(top, "kampanjer", ""))
        ]
        politicians = [
            self.politician(raw, f"politiker[{i}]")
            for i, raw in enumerate(self.items(top, "politiker", ""))
        ]
        kept_chapters = tuple(c for c in chapters if c is not None)
        kept_figures = tuple(f for f in figures if f is not None)
        _check_unique_numbers(kept_chapters, self.problems, _yaml_paths(kept_chapters))
        _check_unique_names(kept_figures, self.problems)
        if year is not None:
            _check_years_cover(kept_chapters, year, self.problems)
        if self.problems.items or year is None:
            raise PlanFileError(self.source, self.problems.items)
        return PlanData(
            year=year,
            name=name,
            staff=self.staff,
            chapters=kept_chapters,
            key_figures=kept_figures,
            campaigns=tuple(c for c in campaigns if c is not None),
            politicians=tuple(p for p in politicians if p is not None),
        )

    def campaign(self, raw: object, where: str) -> CampaignData | None:
        data = self.mapping(raw, where, CAMPAIGN_KEYS)
        if data is None:
            return None
        name = self.text(data, "namn", where, max_length=MAX_TITLE)
        target = data.get("mål")
        if isinstance(target, bool) or not isinstance(target, int) or target < 1:
            self.problems.add(
                _join(where, "mål"), f"ska vara antalet besök, t.ex. 109, inte {_describe(target)}"
            )
            target = None
        requirement = self.text(data, "krav", where, required=False, nullable=True)
        if requirement is not None and requirement.casefold() not in CAMPAIGN_REQUIREMENTS:
            self.problems.add(
                _join(where, "krav"),
                f"okänt krav {_quoted(requirement)}; skriv ”{REQUIRES_POLITICIAN}” eller ta bort "
                "nyckeln (då räknas alla besök)",
            )
        start = end = None
        if self.present(data, "från", where):
            start = self.date(data["från"], _join(where, "från"))
        if self.present(data, "till", where):
            end = self.date(data["till"], _join(where, "till"))
        if start and end and end < start:
            self.problems.add(_join(where, "till"), "slutar före `från`; byt plats på datumen")
        if name is None or target is None or start is None or end is None:
            return None
        return CampaignData(
            name=name,
            target=target,
            requirement=requirement.casefold() if requirement else None,
            start=start,
            end=end,
        )

    def politician(self, raw: object, where: str) -> PoliticianData | None:
        data = self.mapping(raw, where, POLITICIAN_KEYS)
        if data is None:
            return None
        name = self.text(data, "namn", where, max_length=MAX_OWNER * 2)
        title = self.text(data, "titel", where, required=False, nullable=True, max_length=100)
        aliases = self.string_list(data, "alias", where)
        if name is None:
            return None
        return PoliticianData(name=name, title=title, aliases=aliases)

    def _check_staff(self, staff: tuple[str, ...]) -> None:
        seen: dict[str, int] = {}
        for i, name in enumerate(staff):
            path = f"personal[{i}]"
            if len(name) > MAX_OWNER:
                self.problems.add(path, f"namnet är {len(name)} tecken; högst {MAX_OWNER} går")
            if name.casefold() in {s.casefold() for s in SPECIAL_OWNERS}:
                self.problems.add(path, f"”{name}” är ingen person; det hör hemma i `vem`")
            if name.casefold() in seen:
                self.problems.add(path, f"”{name}” står redan i personal[{seen[name.casefold()]}]")
            seen.setdefault(name.casefold(), i)

    def chapter(self, raw: object, where: str) -> ChapterData | None:
        heading = self.heading(
            raw, where, CHAPTER_KEYS, _CHAPTER_NUMBER, '"1"', None, "avsnitt", self.section
        )
        if heading is None:
            return None
        number, title, description, sections = heading
        return ChapterData(number=number, title=title, sections=sections, description=description)

    def section(self, raw: object, where: str, chapter: str | None) -> SectionData | None:
        heading = self.heading(
            raw, where, SECTION_KEYS, _SECTION_NUMBER, '"1.2"', chapter, "aktiviteter",
            self.activity,
        )
        if heading is None:
            return None
        number, title, description, activities = heading
        return SectionData(
            number=number, title=title, activities=activities, description=description
        )

    def heading(
        self,
        raw: object,
        where: str,
        keys: set[str],
        pattern: re.Pattern[str],
        example: str,
        parent: str | None,
        children_key: str,
        child: Callable[[object, str, str | None], _Child | None],
    ) -> tuple[str, str, str | None, tuple[_Child, ...]] | None:
        """A chapter or section: number, title, description and its checked children."""
        data = self.mapping(raw, where, keys)
        if data is None:
            return None
        number = self.number(data, where, pattern, example, parent=parent)
        title = self.text(data, "titel", where, max_length=MAX_TITLE)
        description = self.text(data, "beskrivning", where, required=False, nullable=True)
        self.present(data, children_key, where)
        children = [
            child(item, f"{where}.{children_key}[{i}]", number)
            for i, item in enumerate(self.items(data, children_key, where))
        ]
        if number is None or title is None:
            return None
        return number, title, description, tuple(c for c in children if c is not None)

    def number(
        self,
        data: Mapping[str, Any],
        where: str,
        pattern: re.Pattern[str],
        example: str,
        *,
        parent: str | None,
    ) -> str | None:
        path = _join(where, "nummer")
        if not self.present(data, "nummer", where):
            return None
        value = data["nummer"]
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.problems.add(
                path, f"{_describe(value)}: skriv numret som text inom citattecken, t.ex. {example}"
            )
            return None
        if not isinstance(value, str) or not pattern.match(value.strip()):
            self.problems.add(path, f"ska se ut som {example}, inte {_describe(value)}")
            return None
        number = value.strip()
        if parent is not None and not number.startswith(parent + "."):
            self.problems.add(
                path, f"”{number}” ligger under ”{parent}” och ska börja med {parent}."
            )
        return number

    def activity(self, raw: object, where: str, section: str | None) -> ActivityData | None:
        data = self.mapping(raw, where, ACTIVITY_KEYS)
        if data is None:
            return None
        number = self.number(data, where, _ACTIVITY_NUMBER, '"1.2.3"', parent=section)
        title = self.text(data, "titel", where, max_length=MAX_TITLE)
        description = self.text(data, "beskrivning", where, required=False, nullable=True)
        purpose = self.text(data, "syfte", where, nullable=True)
        goal = self.text(data, "mål", where, nullable=True)
        self.present(data, "åtgärder", where)
        actions = self.string_list(data, "åtgärder", where)
        years = self.years(data, where)
        owners = self.owners(data, where)
        priority = self.priority(data, where)
        follow_up = self.text(data, "uppföljning", where, nullable=True, max_length=MAX_FOLLOW_UP)
        updates = [
            self.update(item, f"{where}.uppdateringar[{i}]")
            for i, item in enumerate(self.items(data, "uppdateringar", where))
        ]
        if number is None or title is None or years is None or owners is None:
            return None
        return ActivityData(
            number=number,
            title=title,
            description=description,
            purpose=purpose,
            goal=goal,
            actions=actions,
            years=years,
            owners=owners,
            priority=priority,
            follow_up=follow_up,
            updates=tuple(u for u in updates if u is not None),
        )

    def years(self, data: Mapping[str, Any], where: str) -> tuple[int, ...] | None:
        path = _join(where, "när")
        if not self.present(data, "när", where):
            return None
        raw = data["när"]
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = [raw]
        if not isinstance(raw, list) or not raw:
            self.problems.add(
                path, f"ska vara en lista med årtal, t.ex. [2022, 2023], inte {_describe(raw)}"
            )
            return None
        years = [self.year(item, f"{path}[{i}]") for i, item in enumerate(raw)]
        checked = [y for y in years if y is not None]
        if len(checked) != len(years):
            return None
        return _checked_years(checked, path, self.problems)

    def owners(self, data: Mapping[str, Any], where: str) -> tuple[str, ...] | None:
        if not self.present(data, "vem", where):
            return None
        raw = data["vem"]
        path = _join(where, "vem")
        if raw is None:
            self.problems.add(
                path, "skriv ägarna som en lista, t.ex. [Pia, Anna M], eller [] för ingen"
            )
            return None
        if not isinstance(raw, list):
            self.problems.add(
                path, f"ska vara en lista med namn, t.ex. [Pia, Anna M], inte {_describe(raw)}"
            )
            return None
        return _checked_owners(raw, path, self.staff, self.problems)

    def priority(self, data: Mapping[str, Any], where: str) -> str | None:
        path = _join(where, "prio")
        if not self.present(data, "prio", where):
            return None
        return _checked_priority(data["prio"], path, self.problems)

    def update(self, raw: object, where: str) -> UpdateData | None:
        data = self.mapping(raw, where, UPDATE_KEYS)
        if data is None:
            return None
        period = None
        if self.present(data, "period", where):
            value = data["period"]
            match = _PERIOD.match(value.strip()) if isinstance(value, str) else None
            if match is None:
                self.problems.add(
                    _join(where, "period"),
                    f"ska vara t.ex. 2022-H1 eller 2022-H2, inte {_describe(value)}",
                )
            else:
                period = value.strip()
        day = None
        if self.present(data, "datum", where):
            day = self.date(data["datum"], _join(where, "datum"))
        light: Light | None = None
        light_ok = True
        if self.present(data, "ljus", where) and data["ljus"] is not None:
            value = data["ljus"]
            light = parse_light(value) if isinstance(value, str) else None
            if light is None:
                light_ok = False
                self.problems.add(
                    _join(where, "ljus"), f"okänt ljus {_quoted(value)}; {LIGHT_HINT}, eller null"
                )
        comment = self.text(data, "kommentar", where)
        if period is None or day is None or comment is None or not light_ok:
            return None
        return UpdateData(period=period, day=day, light=light, comment=comment)

    def date(self, value: object, where: str) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problems.add(where, f"ska vara ett datum som 2022-12-15, inte {_describe(value)}")
        return None

    def key_figure(self, raw: object, where: str) -> KeyFigureData | None:
        data = self.mapping(raw, where, KEY_FIGURE_KEYS)
        if data is None:
            return None
        name = self.text(data, "namn", where, max_length=MAX_KEY_FIGURE_NAME)
        stratsys = data.get("stratsys", False)
        if stratsys is None:
            stratsys = False
        if not isinstance(stratsys, bool):
            self.problems.add(
                _join(where, "stratsys"), f"ska vara true eller false, inte {_describe(stratsys)}"
            )
            stratsys = False
        self.present(data, "värden", where)
        values: list[KeyFigureValueData] = []
        seen: dict[int, int] = {}
        for i, item in enumerate(self.items(data, "värden", where)):
            value = self.key_figure_value(item, f"{where}.värden[{i}]")
            if value is None:
                continue
            if value.year in seen:
                self.problems.add(
                    f"{where}.värden[{i}].år",
                    f"året {value.year} står redan i {where}.värden[{seen[value.year]}]",
                )
            seen.setdefault(value.year, i)
            values.append(value)
        if name is None:
            return None
        return KeyFigureData(name=name, stratsys=stratsys, values=tuple(values))

    def key_figure_value(self, raw: object, where: str) -> KeyFigureValueData | None:
        data = self.mapping(raw, where, KEY_FIGURE_VALUE_KEYS)
        if data is None:
            return None
        year = (
            self.year(data["år"], _join(where, "år")) if self.present(data, "år", where) else None
        )
        target = self.text(data, "mål", where, nullable=True)
        outcome = self.text(data, "utfall", where, nullable=True)
        met = None
        if self.present(data, "uppfyllt", where):
            met = data["uppfyllt"]
            if met is not None and not isinstance(met, bool):
                self.problems.add(
                    _join(where, "uppfyllt"),
                    f"ska vara true, false eller null, inte {_describe(met)}",
                )
                met = None
        comment = self.text(data, "kommentar", where, required=False, nullable=True)
        if year is None:
            return None
        return KeyFigureValueData(
            year=year, target=target, outcome=outcome, met=met, comment=comment
        )


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _checked_years(years: list[int], where: str, problems: _Problems) -> tuple[int, ...] | None:
    if years != sorted(years) or len(set(years)) != len(years):
        problems.add(where, f"årtalen ska stå i stigande ordning utan dubbletter, inte {years}")
        return None
    return tuple(years)


def _checked_priority(value: object, where: str, problems: _Problems) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().casefold() in PRIORITIES:
        return PRIORITIES[value.strip().casefold()]
    problems.add(where, f"okänd prioritet {_quoted(value)}; {PRIORITY_HINT}")
    return None


def _checked_owners(
    raw: Iterable[object], where: str, staff: tuple[str, ...] | None, problems: _Problems
) -> tuple[str, ...] | None:
    """Owner names, spelled as in `personal` / "Alla" / "Berörda"; a bare "Anna" is refused."""
    canonical = {name.casefold(): name for name in (*SPECIAL_OWNERS, *(staff or ()))}
    owners: list[str] = []
    ok = True
    for i, item in enumerate(raw):
        path = f"{where}[{i}]"
        if not isinstance(item, str) or not item.strip():
            problems.add(path, f"ska vara ett namn, inte {_describe(item)}")
            ok = False
            continue
        name = " ".join(item.split())
        if len(name) > MAX_OWNER:
            problems.add(path, f"namnet är {len(name)} tecken; högst {MAX_OWNER} går")
            ok = False
            continue
        if name.casefold() not in canonical and staff:
            # "Anna" when the staff has "Anna M" and "Anna B": never guess which one.
            fits = [s for s in staff if s.casefold().split()[0] == name.casefold()]
            if len(fits) > 1:
                problems.add(path, f"”{name}” kan vara {' eller '.join(fits)}; skriv vem det är")
                ok = False
                continue
        name = canonical.get(name.casefold(), name)
        if name in owners:
            problems.add(path, f"”{name}” står två gånger")
            ok = False
            continue
        owners.append(name)
    return tuple(owners) if ok else None


def _yaml_paths(chapters: tuple[ChapterData, ...]) -> Callable[[str, str], str]:
    """Where a chapter/section/activity number was written, for duplicate messages."""
    paths: dict[tuple[str, str], str] = {}
    for ci, chapter in enumerate(chapters):
        paths.setdefault(("kapitel", chapter.number), f"kapitel[{ci}]")
        for si, section in enumerate(chapter.sections):
            spath = f"kapitel[{ci}].avsnitt[{si}]"
            paths.setdefault(("avsnitt", section.number), spath)
            for ai, activity in enumerate(section.activities):
                paths.setdefault(("aktivitet", activity.number), f"{spath}.aktiviteter[{ai}]")
    return lambda kind, number: paths.get((kind, number), number)


def _check_unique_numbers(
    chapters: tuple[ChapterData, ...], problems: _Problems, first_at: Callable[[str, str], str]
) -> None:
    seen: set[tuple[str, str]] = set()

    def check(kind: str, number: str, where: str) -> None:
        if (kind, number) in seen:
            problems.add(
                f"{where}.nummer",
                f"numret ”{number}” finns redan ({first_at(kind, number)}); varje {kind} "
                "ska ha ett eget nummer",
            )
        seen.add((kind, number))

    for ci, chapter in enumerate(chapters):
        check("kapitel", chapter.number, f"kapitel[{ci}]")
        for si, section in enumerate(chapter.sections):
            spath = f"kapitel[{ci}].avsnitt[{si}]"
            check("avsnitt", section.number, spath)
            for ai, activity in enumerate(section.activities):
                check("aktivitet", activity.number, f"{spath}.aktiviteter[{ai}]")


def _check_years_cover(chapters: tuple[ChapterData, ...], year: int, problems: _Problems) -> None:
    """An activity in the plan of `year` runs that year: `när` from first to last covers it."""
    for ci, chapter in enumerate(chapters):
        for si, section in enumerate(chapter.sections):
            for ai, activity in enumerate(section.activities):
                if not activity.years[0] <= year <= activity.years[-1]:
                    problems.add(
                        f"kapitel[{ci}].avsnitt[{si}].aktiviteter[{ai}].när",
                        f"{list(activity.years)} omfattar inte planens år {year}; "
                        "rätta årtalen eller planens `år`",
                    )


def _check_unique_names(figures: tuple[KeyFigureData, ...], problems: _Problems) -> None:
    seen: dict[str, int] = {}
    for i, figure in enumerate(figures):
        key = figure.name.casefold()
        if key in seen:
            problems.add(
                f"nyckeltal[{i}].namn", f"nyckeltalet står redan som nyckeltal[{seen[key]}]"
            )
        seen.setdefault(key, i)


# --- Spreadsheets (.xlsx, .csv): one row per activity --------------------------------------------


@dataclass
class _Group:
    """A chapter or section being assembled from the rows that name it."""

    number: str
    title: str | None = None
    title_row: int = 0
    children: list[Any] = field(default_factory=list)


def _csv_rows(path: Path) -> list[list[object]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{path.name} är inte UTF-8. Spara CSV-filen som ”CSV UTF-8” och försök igen."
        ) from exc
    first_line = text.split("\n", 1)[0]
    # Swedish Excel saves CSV with semicolons; the documented format uses commas.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _xlsx_rows(path: Path) -> list[list[object]]:
    import openpyxl  # only the spreadsheet path pays for the import

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InvalidInput(f"{path.name} kunde inte läsas som en Excel-fil (.xlsx): {exc}") from exc
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def parse_rows(rows: list[list[object]], *, source: str, year: int | None = None) -> PlanData:
    """A plan from spreadsheet rows (the first is the header); see docs/plan-format.md."""
    problems = _Problems()
    rows = [row for row in rows if any(_cell_text(cell) for cell in row)]
    if not rows:
        raise PlanFileError(source, ["filen är tom; första raden ska vara rubrikerna"])
    header = [_cell_text(cell).casefold() for cell in rows[0]]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        at = f"rad 1, kolumn {_column_letter(index)}"
        if not name:
            continue
        if name not in SPREADSHEET_COLUMNS:
            problems.add(
                at, f"okänd kolumn ”{name}”; kolumnerna är {', '.join(SPREADSHEET_COLUMNS)}"
            )
        elif name in columns:
            problems.add(at, f"kolumnen ”{name}” står två gånger")
        else:
            columns[name] = index
    missing = [name for name in SPREADSHEET_COLUMNS if name not in columns]
    if missing:
        problems.add("rad 1", f"kolumner saknas: {', '.join(missing)}")
    if problems.items:
        raise PlanFileError(source, problems.items)

    chapters: dict[str, _Group] = {}
    sections: dict[str, _Group] = {}
    activities: dict[str, int] = {}
    for row_index, row in enumerate(rows[1:], start=2):
        cells = {name: _cell_text(row[i]) if i < len(row) else "" for name, i in columns.items()}

        def where(column: str, row_index: int = row_index) -> str:
            return f"rad {row_index}, kolumn {column} ({_column_letter(columns[column])})"

        activity = _row_activity(cells, where, problems)
        number = cells["nummer"]
        if activity is None or not _ACTIVITY_NUMBER.match(number):
            continue
        if number in activities:
            problems.add(
                where("nummer"), f"numret ”{number}” finns redan på rad {activities[number]}"
            )
            continue
        activities[number] = row_index
        chapter_number, section_number = number.split(".")[0], ".".join(number.split(".")[:2])
        chapter = chapters.setdefault(chapter_number, _Group(chapter_number))
        section = sections.setdefault(section_number, _Group(section_number))
        if section not in chapter.children:
            chapter.children.append(section)
        section.children.append(activity)
        for group, column in ((chapter, "kapitel"), (section, "avsnitt")):
            title = cells[column]
            if not title:
                continue
            if group.title is None:
                group.title, group.title_row = title, row_index
            elif group.title != title:
                problems.add(
                    where(column),
                    f"{column} {group.number} heter ”{group.title}” på rad {group.title_row}; "
                    "skriv samma rubrik på alla rader",
                )
    for kind, groups in (("kapitel", chapters), ("avsnitt", sections)):
        for group in groups.values():
            if group.title is None:
                problems.add(
                    f"{kind} {group.number}", f"rubriken saknas; skriv den i kolumnen {kind}"
                )
    if not activities and not problems.items:
        problems.add("", "filen har inga aktiviteter under rubrikraden")
    if problems.items:
        raise PlanFileError(source, problems.items)

    built = tuple(
        ChapterData(
            number=chapter.number,
            title=chapter.title or "",
            sections=tuple(
                SectionData(
                    number=section.number,
                    title=section.title or "",
                    activities=tuple(section.children),
                )
                for section in chapter.children
            ),
        )
        for chapter in chapters.values()
    )
    plan_year = (
        year
        if year is not None
        else min(a.years[0] for c in built for s in c.sections for a in s.activities)
    )
    return PlanData(year=plan_year, name=None, staff=None, chapters=built)


def _row_activity(
    cells: dict[str, str], where: Callable[[str], str], problems: _Problems
) -> ActivityData | None:
    before = len(problems.items)
    number = cells["nummer"]
    if not _ACTIVITY_NUMBER.match(number):
        problems.add(where("nummer"), f"ska se ut som 1.2.3, inte ”{number}”")
    title = cells["titel"]
    if not title:
        problems.add(where("titel"), "får inte vara tom; skriv aktivitetens rubrik")
    for column, limit in (
        ("titel", MAX_TITLE),
        ("kapitel", MAX_TITLE),
        ("avsnitt", MAX_TITLE),
        ("uppföljning", MAX_FOLLOW_UP),
    ):
        if len(cells[column]) > limit:
            problems.add(where(column), f"är {len(cells[column])} tecken; högst {limit} går")
    years = _row_years(cells["när"], where("när"), problems)
    owners = _checked_owners(
        [part for part in (p.strip() for p in cells["vem"].split(",")) if part]
        if cells["vem"]
        else [],
        where("vem"),
        None,
        problems,
    )
    priority = _checked_priority(cells["prio"] or None, where("prio"), problems)
    actions = tuple(
        line.strip().lstrip("•-–* ").strip()
        for line in cells["åtgärder"].splitlines()
        if line.strip().lstrip("•-–* ").strip()
    )
    if len(problems.items) > before or years is None or owners is None:
        return None
    return ActivityData(
        number=number,
        title=title,
        purpose=cells["syfte"] or None,
        goal=cells["mål"] or None,
        actions=actions,
        years=years,
        owners=owners,
        priority=priority,
        follow_up=cells["uppföljning"] or None,
    )


_YEAR_SPAN = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")


def _row_years(text: str, where: str, problems: _Problems) -> tuple[int, ...] | None:
    text = text.strip()
    hint = "skriv t.ex. 2022, 2022-2023 eller 2022, 2024"
    if not text:
        problems.add(where, f"årtal saknas; {hint}")
        return None
    span = _YEAR_SPAN.match(text)
    parts = [span.group(1), span.group(2)] if span else [p.strip() for p in text.split(",")]
    years: list[int] = []
    for part in parts:
        if not re.fullmatch(r"\d{4}", part) or not MIN_YEAR <= int(part) <= MAX_YEAR:
            problems.add(where, f"”{text}” är inga årtal; {hint}")
            return None
        years.append(int(part))
    return _checked_years(years, where, problems)

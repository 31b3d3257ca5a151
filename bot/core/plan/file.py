"""Reads and validates a plan file (YAML, or a spreadsheet: .xlsx / .csv) into the plan's records.

The records below are pydantic models: a YAML plan is validated by `PlanData.model_validate`, a
spreadsheet row by `_SheetRow`. Each pydantic error becomes one Swedish problem that names the key
path (`kapitel[0].avsnitt[1].aktiviteter[2].prio`) or the spreadsheet row and column, and all of
them are reported at once, before anything is stored. Checks across the tree (a number used twice,
a number outside its section, `när` outside the plan year, a key figure named twice) run once
every record in it is valid. The format is documented in docs/plan-format.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, NoReturn, Self, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

from bot.core.plan.lights import Light, parse_light
from bot.core.plan.requirements import CAMPAIGN_REQUIREMENTS, REQUIRES_POLITICIAN
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
_YEAR_SPAN = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")

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

Loc = tuple[str | int, ...]


# --- Messages ------------------------------------------------------------------------------------


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


def _problem(message: str) -> PydanticCustomError:
    # The message goes in as context, so that braces in a quoted value are never a template.
    return PydanticCustomError("plan", "{message}", {"message": message})


def _fail(message: str) -> NoReturn:
    raise _problem(message)


def _fail_at(problems: Sequence[tuple[Loc, str]], value: object) -> NoReturn:
    """Several problems at once, each at its place below the value being validated."""
    raise ValidationError.from_exception_data(
        "plan",
        [InitErrorDetails(type=_problem(m), loc=loc, input=value) for loc, m in problems],
    )


def _message(error: ErrorDetails) -> str:
    """One pydantic error in Swedish, without its place."""
    kind, value = error["type"], error["input"]
    if kind == "plan":
        return str(error.get("ctx", {}).get("message", error["msg"]))
    if kind == "missing":
        return "saknas (nyckeln måste finnas)"
    if kind in {"extra_forbidden", "invalid_key"}:
        known = ", ".join(sorted(_keys_at(error["loc"])))
        return f"okänd nyckel; tillåtna nycklar här: {known}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"ska vara en samling nycklar, inte {_describe(value)}"
    return f"ogiltigt värde: {_describe(value)}"


def _path(loc: Loc) -> str:
    """`kapitel[0].avsnitt[1].titel` for ("kapitel", 0, "avsnitt", 1, "titel")."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _yaml_problem(error: ErrorDetails) -> str:
    loc = tuple(error["loc"])
    if error["type"] in {"extra_forbidden", "invalid_key"}:  # the last part is the key itself
        key = error["input"] if error["type"] == "invalid_key" else loc[-1]  # `true:` stays true
        where = f"{_path(loc[:-1])}.{key}" if loc[:-1] else str(key)
    else:
        where = _path(loc)
    message = _message(error)
    return f"{where}: {message}" if where else message


# --- Values --------------------------------------------------------------------------------------


def _checked_text(value: object, max_length: int | None = None, *, nullable: bool) -> str | None:
    """Trimmed text; blank is None where the key may be empty, else refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if nullable:
            return None
        _fail("får inte vara tomt; skriv en text")
    if not isinstance(value, str):
        _fail(f"ska vara en text, inte {_describe(value)}")
    text = value.strip()
    if max_length is not None and len(text) > max_length:
        _fail(f"är {len(text)} tecken; högst {max_length} går")
    return text


def _text(max_length: int | None = None, *, nullable: bool = False) -> PlainValidator:
    return PlainValidator(lambda value: _checked_text(value, max_length, nullable=nullable))


def _listed(value: object) -> list[Any]:
    if not isinstance(value, list):
        _fail(f"ska vara en lista, inte {_describe(value)}")
    return value


def _list_item(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        _fail(f"ska vara en text, inte {_describe(value)}")
    return value.strip()


def _year(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(f"ska vara ett årtal som 2022, inte {_describe(value)}")
    if not MIN_YEAR <= value <= MAX_YEAR:
        _fail(f"årtalet {value} är orimligt; skriv t.ex. 2022")
    return value


def _year_list(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]  # `när: 2022` for `när: [2022]`
    if not isinstance(value, list) or not value:
        _fail(f"ska vara en lista med årtal, t.ex. [2022, 2023], inte {_describe(value)}")
    return value


def _ascending(years: tuple[int, ...]) -> tuple[int, ...]:
    if list(years) != sorted(set(years)):
        _fail(f"årtalen ska stå i stigande ordning utan dubbletter, inte {list(years)}")
    return years


def _number(pattern: re.Pattern[str], example: str) -> PlainValidator:
    def check(value: object) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            _fail(f"{_describe(value)}: skriv numret som text inom citattecken, t.ex. {example}")
        if not isinstance(value, str) or not pattern.match(value.strip()):
            _fail(f"ska se ut som {example}, inte {_describe(value)}")
        return value.strip()

    return PlainValidator(check)


def _priority(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().casefold() in PRIORITIES:
        return PRIORITIES[value.strip().casefold()]
    _fail(f"okänd prioritet {_quoted(value)}; {PRIORITY_HINT}")


def _light(value: object) -> Light | None:
    if value is None:
        return None
    light = parse_light(value) if isinstance(value, str) else None
    if light is None:
        _fail(f"okänt ljus {_quoted(value)}; {LIGHT_HINT}, eller null")
    return light


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    _fail(f"ska vara ett datum som 2022-12-15, inte {_describe(value)}")


def _period(value: object) -> str:
    if not isinstance(value, str) or not _PERIOD.match(value.strip()):
        _fail(f"ska vara t.ex. 2022-H1 eller 2022-H2, inte {_describe(value)}")
    return value.strip()


def _visit_target(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        _fail(f"ska vara antalet besök, t.ex. 109, inte {_describe(value)}")
    return value


def _requirement(value: object) -> str | None:
    text = _checked_text(value, nullable=True)
    if text is not None and text.casefold() not in CAMPAIGN_REQUIREMENTS:
        _fail(
            f"okänt krav {_quoted(text)}; skriv ”{REQUIRES_POLITICIAN}” eller ta bort "
            "nyckeln (då räknas alla besök)"
        )
    return text.casefold() if text else None


def _stratsys(value: object) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        _fail(f"ska vara true eller false, inte {_describe(value)}")
    return value


def _met(value: object) -> bool | None:
    if value is not None and not isinstance(value, bool):
        _fail(f"ska vara true, false eller null, inte {_describe(value)}")
    return value


def _staff(value: object, info: ValidationInfo) -> tuple[str, ...]:
    """The `personal` list; its good names are what `vem` is checked against, also when some of
    the list is wrong (`personal` is validated before `kapitel`)."""
    items = _listed(value)
    names: list[str] = []
    problems: list[tuple[Loc, str]] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            problems.append(((i,), f"ska vara en text, inte {_describe(item)}"))
            continue
        name = item.strip()
        if len(name) > MAX_OWNER:
            problems.append(((i,), f"namnet är {len(name)} tecken; högst {MAX_OWNER} går"))
        if name.casefold() in {s.casefold() for s in SPECIAL_OWNERS}:
            problems.append(((i,), f"”{name}” är ingen person; det hör hemma i `vem`"))
        if name.casefold() in seen:
            problems.append(((i,), f"”{name}” står redan i personal[{seen[name.casefold()]}]"))
        seen.setdefault(name.casefold(), i)
        names.append(name)
    if isinstance(info.context, dict):
        info.context["staff"] = tuple(names)
    if problems:
        _fail_at(problems, value)
    return tuple(names)


def _owner_names(
    raw: Iterable[object], staff: tuple[str, ...] | None
) -> tuple[tuple[str, ...], list[tuple[int, str]]]:
    """Owner names spelled as in `personal` / "Alla" / "Berörda", and the problems by index.

    A bare "Anna" is refused when the staff has "Anna M" and "Anna B": never guess which one.
    """
    canonical = {name.casefold(): name for name in (*SPECIAL_OWNERS, *(staff or ()))}
    owners: list[str] = []
    problems: list[tuple[int, str]] = []
    for i, item in enumerate(raw):
        if not isinstance(item, str) or not item.strip():
            problems.append((i, f"ska vara ett namn, inte {_describe(item)}"))
            continue
        name = " ".join(item.split())
        if len(name) > MAX_OWNER:
            problems.append((i, f"namnet är {len(name)} tecken; högst {MAX_OWNER} går"))
            continue
        fits = [s for s in staff or () if s.casefold().split()[0] == name.casefold()]
        if name.casefold() not in canonical and len(fits) > 1:
            problems.append((i, f"”{name}” kan vara {' eller '.join(fits)}; skriv vem det är"))
            continue
        name = canonical.get(name.casefold(), name)
        if name.casefold() in {o.casefold() for o in owners}:
            problems.append((i, f"”{name}” står två gånger"))
            continue
        owners.append(name)
    return tuple(owners), problems


def _owners(value: object, info: ValidationInfo) -> tuple[str, ...]:
    if value is None:
        _fail("skriv ägarna som en lista, t.ex. [Pia, Anna M], eller [] för ingen")
    if not isinstance(value, list):
        _fail(f"ska vara en lista med namn, t.ex. [Pia, Anna M], inte {_describe(value)}")
    staff = info.context.get("staff") if isinstance(info.context, dict) else None
    owners, problems = _owner_names(value, staff)
    if problems:
        _fail_at([((i,), message) for i, message in problems], value)
    return owners


def _chapter_list(value: object) -> object:
    if _listed(value) == []:
        _fail("listan är tom; en plan har minst ett kapitel")
    return value


Text = Annotated[str, _text()]
Title = Annotated[str, _text(MAX_TITLE)]
MaybeText = Annotated[str | None, _text(nullable=True)]
Texts = Annotated[tuple[Annotated[str, PlainValidator(_list_item)], ...], BeforeValidator(_listed)]
Year = Annotated[int, PlainValidator(_year)]
Years = Annotated[tuple[Year, ...], BeforeValidator(_year_list), AfterValidator(_ascending)]
Date = Annotated[dt.date, PlainValidator(_date)]
Priority = Annotated[str | None, PlainValidator(_priority)]
_R = TypeVar("_R")
ListOf = Annotated[tuple[_R, ...], BeforeValidator(_listed)]


# --- The plan's records -------------------------------------------------------------------------


class _Record(BaseModel):
    """A mapping in the file: its keys are the Swedish aliases, any other key is refused."""

    # serve imports this module; the validators are built on the first plan read, not at start.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class UpdateData(_Record):
    period: Annotated[str, PlainValidator(_period)] = Field(alias="period")
    day: Date = Field(alias="datum")
    light: Annotated[Light | None, PlainValidator(_light)] = Field(alias="ljus")
    comment: Text = Field(alias="kommentar")


class ActivityData(_Record):
    number: Annotated[str, _number(_ACTIVITY_NUMBER, '"1.2.3"')] = Field(alias="nummer")
    title: Title = Field(alias="titel")
    description: MaybeText = Field(None, alias="beskrivning")
    purpose: MaybeText = Field(alias="syfte")
    goal: MaybeText = Field(alias="mål")
    actions: Texts = Field(alias="åtgärder")
    years: Years = Field(alias="när")
    owners: Annotated[tuple[str, ...], PlainValidator(_owners)] = Field(alias="vem")
    priority: Priority = Field(alias="prio")  # Hög | Medel | Låg ("Mellan" read as Medel)
    follow_up: Annotated[str | None, _text(MAX_FOLLOW_UP, nullable=True)] = Field(
        alias="uppföljning"
    )
    updates: ListOf[UpdateData] = Field((), alias="uppdateringar")


class SectionData(_Record):
    number: Annotated[str, _number(_SECTION_NUMBER, '"1.2"')] = Field(alias="nummer")
    title: Title = Field(alias="titel")
    description: MaybeText = Field(None, alias="beskrivning")
    activities: ListOf[ActivityData] = Field(alias="aktiviteter")


class ChapterData(_Record):
    number: Annotated[str, _number(_CHAPTER_NUMBER, '"1"')] = Field(alias="nummer")
    title: Title = Field(alias="titel")
    description: MaybeText = Field(None, alias="beskrivning")
    sections: ListOf[SectionData] = Field(alias="avsnitt")


class KeyFigureValueData(_Record):
    year: Year = Field(alias="år")
    target: MaybeText = Field(alias="mål")
    outcome: MaybeText = Field(alias="utfall")
    met: Annotated[bool | None, PlainValidator(_met)] = Field(alias="uppfyllt")
    comment: MaybeText = Field(None, alias="kommentar")


class KeyFigureData(_Record):
    name: Annotated[str, _text(MAX_KEY_FIGURE_NAME)] = Field(alias="namn")
    stratsys: Annotated[bool, PlainValidator(_stratsys)] = Field(False, alias="stratsys")
    values: ListOf[KeyFigureValueData] = Field(alias="värden")


class CampaignData(_Record):
    """A visit target beside the yearly one: "109 företagsbesök: 109 besök med minst en
    politiker, 2021-09-01 – 2022-12-31"."""

    name: Title = Field(alias="namn")
    target: Annotated[int, PlainValidator(_visit_target)] = Field(alias="mål")
    # REQUIRES_POLITICIAN, or None: every visit counts.
    requirement: Annotated[str | None, PlainValidator(_requirement)] = Field(None, alias="krav")
    start: Date = Field(alias="från")
    end: Date = Field(alias="till")

    @field_validator("end")
    @classmethod
    def _not_before_start(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and end < start:
            _fail("slutar före `från`; byt plats på datumen")
        return end


class PoliticianData(_Record):
    name: Annotated[str, _text(MAX_OWNER * 2)] = Field(alias="namn")
    title: Annotated[str | None, _text(100, nullable=True)] = Field(None, alias="titel")
    aliases: Texts = Field((), alias="alias")


class PlanData(_Record):
    year: Year = Field(alias="år")
    name: Annotated[str | None, _text(MAX_PLAN_NAME)] = Field(alias="namn")  # None: a spreadsheet
    # The `personal` list; None when the file has none. Declared before `kapitel`: see _staff.
    staff: Annotated[tuple[str, ...] | None, PlainValidator(_staff)] = Field(None, alias="personal")
    chapters: Annotated[tuple[ChapterData, ...], BeforeValidator(_chapter_list)] = Field(
        alias="kapitel"
    )
    key_figures: ListOf[KeyFigureData] = Field((), alias="nyckeltal")
    campaigns: ListOf[CampaignData] = Field((), alias="kampanjer")
    politicians: ListOf[PoliticianData] = Field((), alias="politiker")

    def activities(self) -> list[ActivityData]:
        return [a for c in self.chapters for s in c.sections for a in s.activities]

    @model_validator(mode="after")
    def _across_the_tree(self) -> Self:
        problems = _tree_problems(self)
        if problems:
            _fail_at(problems, None)
        return self


# Which record a key belongs to, by the list it stands in (the top level is the plan itself).
_RECORD_IN_LIST: dict[str, type[_Record]] = {
    "kapitel": ChapterData,
    "avsnitt": SectionData,
    "aktiviteter": ActivityData,
    "uppdateringar": UpdateData,
    "nyckeltal": KeyFigureData,
    "värden": KeyFigureValueData,
    "kampanjer": CampaignData,
    "politiker": PoliticianData,
}


def _keys_at(loc: Sequence[str | int]) -> list[str]:
    record = _RECORD_IN_LIST.get(str(loc[-3]), PlanData) if len(loc) >= 3 else PlanData
    return [info.alias or name for name, info in record.model_fields.items()]


def _tree_problems(plan: PlanData) -> list[tuple[Loc, str]]:
    """Numbers unique and under their parent's, `när` covering the plan year, key figures once."""
    problems: list[tuple[Loc, str]] = []
    first_at: dict[tuple[str, str], str] = {}

    def numbered(kind: str, number: str, loc: Loc, parent: str | None) -> None:
        at = (*loc, "nummer")
        if parent is not None and not number.startswith(parent + "."):
            problems.append((at, f"”{number}” ligger under ”{parent}” och ska börja med {parent}."))
        if (kind, number) in first_at:
            problems.append(
                (
                    at,
                    f"numret ”{number}” finns redan ({first_at[kind, number]}); varje {kind} "
                    "ska ha ett eget nummer",
                )
            )
        first_at.setdefault((kind, number), _path(loc))

    for ci, chapter in enumerate(plan.chapters):
        chapter_at: Loc = ("kapitel", ci)
        numbered("kapitel", chapter.number, chapter_at, None)
        for si, section in enumerate(chapter.sections):
            section_at = (*chapter_at, "avsnitt", si)
            numbered("avsnitt", section.number, section_at, chapter.number)
            for ai, activity in enumerate(section.activities):
                activity_at = (*section_at, "aktiviteter", ai)
                numbered("aktivitet", activity.number, activity_at, section.number)
                if not activity.years[0] <= plan.year <= activity.years[-1]:
                    problems.append(
                        (
                            (*activity_at, "när"),
                            f"{list(activity.years)} omfattar inte planens år {plan.year}; "
                            "rätta årtalen eller planens `år`",
                        )
                    )
    names: dict[str, int] = {}
    for fi, figure in enumerate(plan.key_figures):
        if figure.name.casefold() in names:
            problems.append(
                (
                    ("nyckeltal", fi, "namn"),
                    f"nyckeltalet står redan som nyckeltal[{names[figure.name.casefold()]}]",
                )
            )
        names.setdefault(figure.name.casefold(), fi)
        years: dict[int, int] = {}
        for vi, value in enumerate(figure.values):
            if value.year in years:
                problems.append(
                    (
                        ("nyckeltal", fi, "värden", vi, "år"),
                        f"året {value.year} står redan i "
                        f"nyckeltal[{fi}].värden[{years[value.year]}]",
                    )
                )
            years.setdefault(value.year, vi)
    return problems


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


# --- YAML ----------------------------------------------------------------------------------------


@cache
def _strict_loader() -> type[Any]:
    """safe_load that refuses a key written twice (PyYAML silently keeps the last one).

    Made on first use: PyYAML is imported only when a plan is read, not at every start."""
    import yaml

    class StrictLoader(yaml.SafeLoader):
        pass

    def construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
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

    StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    return StrictLoader


def parse_yaml_text(text: str, *, source: str = "planfilen") -> PlanData:
    import yaml

    try:
        data = yaml.load(text, Loader=_strict_loader())  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"rad {mark.line + 1}, kolumn {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise PlanFileError(source, [f"{where}filen är inte giltig YAML ({problem})"]) from exc
    try:
        return PlanData.model_validate(data, context={})
    except ValidationError as exc:
        problems = [_yaml_problem(error) for error in exc.errors(include_url=False)]
        raise PlanFileError(source, problems) from exc


# --- Spreadsheets (.xlsx, .csv): one row per activity --------------------------------------------


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


def _checked_cell(value: str, max_length: int | None = None) -> str | None:
    if max_length is not None and len(value) > max_length:
        _fail(f"är {len(value)} tecken; högst {max_length} går")
    return value or None


def _cell(max_length: int | None = None) -> PlainValidator:
    return PlainValidator(lambda value: _checked_cell(value, max_length))


def _sheet_number(value: str) -> str:
    if not _ACTIVITY_NUMBER.match(value):
        _fail(f"ska se ut som 1.2.3, inte ”{value}”")
    return value


def _sheet_title(value: str) -> str:
    if not value:
        _fail("får inte vara tom; skriv aktivitetens rubrik")
    _checked_cell(value, MAX_TITLE)
    return value


def _sheet_actions(value: str) -> tuple[str, ...]:
    """One action a line, bullets (•, -, –, *) dropped."""
    lines = (line.strip().lstrip("•-–* ").strip() for line in value.splitlines())
    return tuple(line for line in lines if line)


def _sheet_years(text: str) -> tuple[int, ...]:
    """`2022`, `2022-2023` (a span: its first and last year) or `2022, 2024`."""
    hint = "skriv t.ex. 2022, 2022-2023 eller 2022, 2024"
    if not text:
        _fail(f"årtal saknas; {hint}")
    span = _YEAR_SPAN.match(text)
    parts = [span.group(1), span.group(2)] if span else [p.strip() for p in text.split(",")]
    if any(not re.fullmatch(r"\d{4}", p) or not MIN_YEAR <= int(p) <= MAX_YEAR for p in parts):
        _fail(f"”{text}” är inga årtal; {hint}")
    return _ascending(tuple(int(p) for p in parts))


def _sheet_owners(value: str) -> tuple[str, ...]:
    owners, problems = _owner_names([p.strip() for p in value.split(",") if p.strip()], None)
    if problems:
        _fail_at([((), message) for _, message in problems], value)
    return owners


class _SheetRow(BaseModel):
    """One spreadsheet row: an activity, with its chapter and section titles."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    number: Annotated[str, PlainValidator(_sheet_number)] = Field(alias="nummer")
    chapter: Annotated[str | None, _cell(MAX_TITLE)] = Field(alias="kapitel")
    section: Annotated[str | None, _cell(MAX_TITLE)] = Field(alias="avsnitt")
    title: Annotated[str, PlainValidator(_sheet_title)] = Field(alias="titel")
    purpose: Annotated[str | None, _cell()] = Field(alias="syfte")
    goal: Annotated[str | None, _cell()] = Field(alias="mål")
    actions: Annotated[tuple[str, ...], PlainValidator(_sheet_actions)] = Field(alias="åtgärder")
    years: Annotated[tuple[int, ...], PlainValidator(_sheet_years)] = Field(alias="när")
    owners: Annotated[tuple[str, ...], PlainValidator(_sheet_owners)] = Field(alias="vem")
    priority: Annotated[str | None, PlainValidator(lambda v: _priority(v or None))] = Field(
        alias="prio"
    )
    follow_up: Annotated[str | None, _cell(MAX_FOLLOW_UP)] = Field(alias="uppföljning")

    def activity(self) -> ActivityData:
        return ActivityData.model_construct(
            number=self.number,
            title=self.title,
            purpose=self.purpose,
            goal=self.goal,
            actions=self.actions,
            years=self.years,
            owners=self.owners,
            priority=self.priority,
            follow_up=self.follow_up,
        )


@dataclass
class _Group:
    """A chapter or section being assembled from the rows that name it."""

    number: str
    title: str | None = None
    title_row: int = 0
    children: list[Any] = field(default_factory=list)


def parse_rows(rows: list[list[object]], *, source: str, year: int | None = None) -> PlanData:
    """A plan from spreadsheet rows (the first is the header); see docs/plan-format.md."""
    problems: list[str] = []
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
            problems.append(
                f"{at}: okänd kolumn ”{name}”; kolumnerna är {', '.join(SPREADSHEET_COLUMNS)}"
            )
        elif name in columns:
            problems.append(f"{at}: kolumnen ”{name}” står två gånger")
        else:
            columns[name] = index
    missing = [name for name in SPREADSHEET_COLUMNS if name not in columns]
    if missing:
        problems.append(f"rad 1: kolumner saknas: {', '.join(missing)}")
    if problems:
        raise PlanFileError(source, problems)

    chapters: dict[str, _Group] = {}
    sections: dict[str, _Group] = {}
    activities: dict[str, int] = {}
    for row_index, row in enumerate(rows[1:], start=2):

        def where(column: str, row_index: int = row_index) -> str:
            return f"rad {row_index}, kolumn {column} ({_column_letter(columns[column])})"

        cells = {name: _cell_text(row[i]) if i < len(row) else "" for name, i in columns.items()}
        try:
            parsed = _SheetRow.model_validate(cells)
        except ValidationError as exc:
            problems += [f"{where(str(e['loc'][0]))}: {_message(e)}" for e in exc.errors()]
            continue
        number = parsed.number
        if number in activities:
            problems.append(
                f"{where('nummer')}: numret ”{number}” finns redan på rad {activities[number]}"
            )
            continue
        activities[number] = row_index
        chapter = chapters.setdefault(number.split(".")[0], _Group(number.split(".")[0]))
        section_number = ".".join(number.split(".")[:2])
        section = sections.setdefault(section_number, _Group(section_number))
        if section not in chapter.children:
            chapter.children.append(section)
        section.children.append(parsed.activity())
        for group, column, title in (
            (chapter, "kapitel", parsed.chapter),
            (section, "avsnitt", parsed.section),
        ):
            if title is None:
                continue
            if group.title is None:
                group.title, group.title_row = title, row_index
            elif group.title != title:
                problems.append(
                    f"{where(column)}: {column} {group.number} heter ”{group.title}” på rad "
                    f"{group.title_row}; skriv samma rubrik på alla rader"
                )
    # A row with a problem was left out, and its titles with it: a title is missing only when
    # every row was read.
    for kind, groups in (("kapitel", chapters), ("avsnitt", sections)):
        for group in groups.values():
            if group.title is None and not problems:
                problems.append(
                    f"{kind} {group.number}: rubriken saknas; skriv den i kolumnen {kind}"
                )
    if not activities and not problems:
        problems.append("filen har inga aktiviteter under rubrikraden")
    if problems:
        raise PlanFileError(source, problems)

    built = tuple(
        ChapterData.model_construct(
            number=chapter.number,
            title=chapter.title,
            sections=tuple(
                SectionData.model_construct(
                    number=section.number, title=section.title, activities=tuple(section.children)
                )
                for section in chapter.children
            ),
        )
        for chapter in chapters.values()
    )
    plan_year = (
        year if year is not None else min(a.years[0] for s in sections.values() for a in s.children)
    )
    return PlanData.model_construct(year=plan_year, name=None, staff=None, chapters=built)

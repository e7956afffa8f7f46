"""Rule sets of the yearly classification: which labels a year uses, and the score bands.

The labels are the official wordings of each rule set, stored as written on the result
(`Classification.label`); they are data, not interface text, so they are kept here in
Vietnamese whatever the interface language. `gloss` is their translated explanation.
"""

import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from assessments.models import GOOD_OR_ABOVE, LEVEL_RANK, Level
from cells.text import fold

LABELS_2018 = {
    Level.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Level.GOOD: "Hoàn thành tốt nhiệm vụ",
    Level.COMPLETE: "Hoàn thành nhiệm vụ",
    Level.INCOMPLETE: "Không hoàn thành nhiệm vụ",
}
LABELS_BEFORE_2018 = {
    Level.EXCELLENT: "Trong sạch, vững mạnh",
    Level.GOOD: "Hoàn thành tốt nhiệm vụ",
    Level.COMPLETE: "Hoàn thành nhiệm vụ",
    Level.INCOMPLETE: "Yếu kém",
}
GLOSSES = {
    "Hoàn thành xuất sắc nhiệm vụ": _("Accomplished its tasks excellently"),
    "Hoàn thành tốt nhiệm vụ": _("Accomplished its tasks well"),
    "Hoàn thành nhiệm vụ": _("Accomplished its tasks"),
    "Không hoàn thành nhiệm vụ": _("Did not accomplish its tasks"),
    "Trong sạch, vững mạnh": _("Clean and strong"),
    "Yếu kém": _("Weak"),
}


@dataclass(frozen=True)
class RuleSet:
    """The documents that governed one span of assessment years."""

    code: str
    documents: str
    first_year: int | None
    last_year: int | None
    labels: dict = field(hash=False)
    uses_score: bool = False
    # The 20% excellent/good guideline of Hướng dẫn 21-HD/BTCTW (2018 on).
    excellent_guideline: bool = True

    def covers(self, year: int) -> bool:
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year
        )

    def label(self, level: str) -> str:
        return self.labels[Level(level)]

    def level_for(self, text: str) -> str | None:
        """The normalized level typed as its code or as this rule set's label, any case or spacing."""
        # Cached: an import asks for the same few texts hundreds of thousands of times.
        return _level_for(self, text)

    def _match_level(self, text: str) -> str | None:
        wanted = " ".join(fold(text).split())
        if not wanted:
            return None
        for level in Level:
            if wanted in (fold(level.value), " ".join(fold(self.labels[level]).split())):
                return level.value
        return None

    def label_list(self) -> str:
        return "; ".join(f"“{self.labels[level]}”" for level in Level)


RULE_SETS = [
    RuleSet("27-HD/BTCTW", "Hướng dẫn 27-HD/BTCTW (2014)", None, 2017, LABELS_BEFORE_2018, excellent_guideline=False),
    RuleSet("132-QĐ/TW", "Quy định 132-QĐ/TW, Hướng dẫn 16-HD/BTCTW, 21-HD/BTCTW", 2018, 2022, LABELS_2018),
    RuleSet("124-QĐ/TW", "Quy định 124-QĐ/TW, Hướng dẫn 25-HD/BTCTW", 2023, 2024, LABELS_2018),
    RuleSet("366-QĐ/TW", "Quy định 366-QĐ/TW, Hướng dẫn 43-HD/BTCTW", 2025, None, LABELS_2018, uses_score=True),
]


@functools.lru_cache(maxsize=512)
def _level_for(rule_set: RuleSet, text: str) -> str | None:
    return rule_set._match_level(text)


def rule_set_for(year: int) -> RuleSet:
    for rule_set in RULE_SETS:
        if rule_set.covers(year):
            return rule_set
    raise ValueError(year)


def level_label(level: str | None, year: int) -> str:
    """The words a level carries in `year`, as its rule set writes them: the one place pages and
    printed documents take them from ("Trong sạch, vững mạnh" in 2017, "Hoàn thành xuất sắc
    nhiệm vụ" from 2018). Empty for no level."""
    return rule_set_for(year).label(level) if level else ""


def gloss(label: str) -> str:
    return GLOSSES.get(label, label)


# 100-point score bands (Quy định 366, Điều 11): the best level a score allows. The lowest
# band is unconfirmed in the sources, so by default it only warns (see `score_problem`).
SCORE_BANDS = [
    (Decimal(90), Level.EXCELLENT, True),
    (Decimal(70), Level.GOOD, True),
    (Decimal(50), Level.COMPLETE, True),
    (Decimal(0), Level.INCOMPLETE, False),
]


def best_level_for_score(score: Decimal) -> tuple[str, bool]:
    """(the best level the score allows, whether that band is confirmed)."""
    for floor, level, confirmed in SCORE_BANDS:
        if score >= floor:
            return level.value, confirmed
    return Level.INCOMPLETE.value, False


def score_problem(*, year: int, level: str, score: Decimal | None) -> tuple[str, str]:
    """("error" | "warning" | "", message) for a score given with a level in `year`."""
    rule_set = rule_set_for(year)
    if score is None:
        return "", ""
    if not rule_set.uses_score:
        return "error", str(
            _("The %(year)s rule set (%(rule_set)s) has no 100-point score: leave the score empty.")
            % {"year": year, "rule_set": rule_set.code}
        )
    if score < 0 or score > 100:
        return "error", str(_("The score must be between 0 and 100."))
    best, confirmed = best_level_for_score(score)
    if LEVEL_RANK[Level(level)] <= LEVEL_RANK[Level(best)]:
        return "", ""
    message = _("A score of %(score)s allows at most “%(best)s”: lower the level or correct the score.") % {
        "score": format_score(score),
        "best": rule_set.label(best),
    }
    strict = getattr(settings, "VANLANG_SCORE_LOWEST_BAND_IS_RULE", False)
    return ("error" if confirmed or strict else "warning"), str(message)


def format_score(score: Decimal) -> str:
    text = f"{score.normalize():f}" if score == score.to_integral() else f"{score:f}".rstrip("0")
    return text.replace(".", ",")


def excellent_share_limit() -> Decimal:
    return Decimal(str(getattr(settings, "VANLANG_EXCELLENT_SHARE_OF_GOOD", "0.20")))


def excellent_over_guideline(*, year: int, excellent: int, good: int) -> bool:
    """Whether excellent units exceed the guideline share of good ones (a warning, not a rule)."""
    if not rule_set_for(year).excellent_guideline or not excellent:
        return False
    return Decimal(excellent) > excellent_share_limit() * Decimal(good)


def is_good_or_above(level: str) -> bool:
    return level in GOOD_OR_ABOVE

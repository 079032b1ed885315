"""The rule kinds a rubric line can use, as strict data models.

Each kind is scored by the module of the same name in ``pipelines.scoring.rules``.
A model holds parameters only; the numbers themselves live in rubrics/*.yaml.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from pipelines.rubric.base import Strict
from pipelines.rubric.errors import Invalid

Points = Annotated[Decimal, Field(ge=0, max_digits=9, decimal_places=2)]
Percent = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=4)]
PositivePercent = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=4)]

# The budget extract's amount columns a rule may read (contract: raw extracts, budget).
BudgetAmount = Literal[
    "full_year_budget",
    "basic_budget",
    "project_budget",
    "other_budget",
    "executed",
    "basic_executed",
    "project_executed",
    "other_executed",
    "initial_budget",
    "final_accounts",
    "carryover_total",
    "carryover_fiscal",
    "carryover_nonfiscal",
]
PriorRateColumn = Literal["prior_carryover_rate", "prior_diff_rate"]
# The derived budget rates (glossary; pipelines.scoring.rates computes them).
Measure = Literal[
    "execution_rate",
    "basic_execution_rate",
    "project_execution_rate",
    "other_execution_rate",
    "carryover_rate",
    "budget_final_diff_rate",
]
Share = Annotated[Decimal, Field(ge=0, le=100, decimal_places=4)]
# What an indicator's `actual` may say instead of a value, and what a rubric may do then.
Outcome = Literal["not_applicable", "insufficient_data"]
OutcomeEffect = Literal["reweight", "zero"]


class Ratio(Strict):
    """score = min(numerator / denominator, cap) × weight (资金总体 line)."""

    kind: Literal["ratio"]
    numerator: BudgetAmount
    denominator: BudgetAmount
    cap_pct: PositivePercent = Decimal(100)


class Checklist(Strict):
    """score = max(weight − per failed criterion deduction, 0)."""

    kind: Literal["checklist"]
    criteria: list[str] = Field(min_length=1)
    deduct_per_failure: Points


class ShareRate(Strict):
    """rate = numerator / denominator, in percent."""

    kind: Literal["share"]
    numerator: BudgetAmount
    denominator: BudgetAmount


class RelativeChangeRate(Strict):
    """rate = (value − base) / base, in percent; ``absolute`` takes |value − base|."""

    kind: Literal["relative_change"]
    base: BudgetAmount
    value: BudgetAmount
    absolute: bool = True


class PriorYearBaseline(Strict):
    """Compare with last year's rate: last year's staged extracts, else ``fallback_column``."""

    kind: Literal["prior_year"]
    fallback_column: PriorRateColumn


class ReferenceBaseline(Strict):
    """Compare with a fixed reference value of the year (e.g. 市级平均差异率)."""

    kind: Literal["reference"]
    name: str
    value_pct: Percent


class StepDeduction(Strict):
    """excess = rate − baseline; deduct per whole step of excess (edges inclusive)."""

    kind: Literal["step_deduction"]
    rate: Annotated[ShareRate | RelativeChangeRate, Field(discriminator="kind")]
    baseline: Annotated[PriorYearBaseline | ReferenceBaseline, Field(discriminator="kind")]
    step_pct: PositivePercent
    deduct_per_step: Points
    # proportional: deduct excess / step × deduction, not per whole step
    proportional: bool = False


class LookupBand(Strict):
    """A band of a lookup: a rate at or above ``min_pct`` (edge included) earns ``share_pct``."""

    min_pct: Annotated[Decimal, Field(max_digits=12, decimal_places=4)]
    share_pct: Share


def _rising(bands: list[LookupBand]) -> list[LookupBand]:
    edges = [b.min_pct for b in bands]
    if edges != sorted(set(edges)):
        raise Invalid("bands_rising")
    return bands


class BandedLookup(Strict):
    """score = weight × the share of the highest band the rate reaches (0 below every band)."""

    kind: Literal["banded_lookup"]
    rate: Annotated[ShareRate | RelativeChangeRate, Field(discriminator="kind")]
    bands: list[LookupBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _bands_rise(self):
        _rising(self.bands)
        return self


FixedRule = Annotated[Ratio | Checklist | StepDeduction | BandedLookup, Field(discriminator="kind")]


class OverAchievementBand(Strict):
    min_over_pct: PositivePercent
    deduct_pct_of_weight: Annotated[Decimal, Field(ge=0, le=100, decimal_places=4)]


class IndicatorRatio(Strict):
    """A quantitative declared line: achievement ratio by direction, capped, with
    over-achievement bands on positive lines (年初指标值设定偏低)."""

    kind: Literal["indicator_ratio"]
    cap_pct: PositivePercent = Decimal(100)
    reverse_zero_actual_pct: Percent = Decimal(100)
    over_achievement: list[OverAchievementBand] = []

    @model_validator(mode="after")
    def _bands_ascend(self):
        edges = [b.min_over_pct for b in self.over_achievement]
        if edges != sorted(set(edges)):
            raise Invalid("over_achievement_rising")
        return self


class IndicatorBands(Strict):
    """A quantitative declared line scored by a coefficient: the achievement rate (as for
    indicator_ratio, by direction) selects a band; score = weight × its share."""

    kind: Literal["indicator_bands"]
    reverse_zero_actual_pct: Percent = Decimal(100)
    bands: list[LookupBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _bands_rise(self):
        _rising(self.bands)
        return self


class GradeBand(Strict):
    min_share_pct: Annotated[Decimal, Field(ge=0, le=100, decimal_places=4)]
    max_share_pct: Annotated[Decimal, Field(ge=0, le=100, decimal_places=4)]
    default_share_pct: Annotated[Decimal, Field(ge=0, le=100, decimal_places=4)]

    @model_validator(mode="after")
    def _ordered(self):
        if not self.min_share_pct <= self.max_share_pct:
            raise Invalid("share_order")
        return self


class Graded(Strict):
    """A qualitative declared line: the assessor's score, checked against the band that
    the actual grade's shortfall from the target grade selects (0 = met or better)."""

    kind: Literal["graded"]
    grades: list[str] = Field(min_length=2)
    bands_by_shortfall: list[GradeBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_grades(self):
        if len(set(self.grades)) != len(self.grades):
            raise Invalid("grades_unique")
        return self


class IndicatorRules(Strict):
    quantitative: Annotated[IndicatorRatio | IndicatorBands, Field(discriminator="kind")]
    qualitative: Graded
    # an `actual` of not_applicable / insufficient_data: leave the line out and re-weight
    # its group, or score it 0; an outcome not listed here is refused at staging
    outcomes: dict[Outcome, OutcomeEffect] = {}

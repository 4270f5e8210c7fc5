"""One settings object for a run: the smallest published group, the language, the random seeds.

Every function that hides small groups takes ``min_n`` and defaults to :data:`MIN_N`, this module's one
value; a notebook builds one :class:`Settings` from its Papermill parameters and passes its fields on.

Examples
--------
>>> s = Settings(min_n=10, lang="en")
>>> s.min_n, s.lang, s.bootstrap_seed
(10, 'en', 2020)
>>> Settings(min_n=0)
Traceback (most recent call last):
...
sosrake_lib.errors.ConfigError: min_n (--min-cell-size) must be a positive whole number, not 0
>>> Settings(weak_alpha=1.5)
Traceback (most recent call last):
...
sosrake_lib.errors.ConfigError: weak_alpha (--weak-alpha) must be a number from 0 to 1, not 1.5
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .errors import ConfigError

#: The smallest group a published figure may describe (the project rule: fewer than 5 people are never shown).
MIN_N = 5
#: Seed of the bootstrap intervals (training-need ranks): the same data give the same intervals.
BOOTSTRAP_SEED = 2020
#: Seed of the candidate-quote sampling.
QUOTE_SEED = 0
#: Cronbach's alpha below this marks an area as a *weak scale* in the tables, key figures and infographic.
WEAK_ALPHA = 0.6

Lang = Literal["fi", "en"]


@dataclass(frozen=True)
class Settings:
    """What a run is configured with (``sosrake run --min-cell-size --lang --weak-alpha``; the notebooks'
    parameters)."""

    min_n: int = MIN_N
    lang: Lang = "fi"
    bootstrap_seed: int = BOOTSTRAP_SEED
    quote_seed: int = QUOTE_SEED
    weak_alpha: float = WEAK_ALPHA

    def __post_init__(self) -> None:
        if isinstance(self.min_n, bool) or not isinstance(self.min_n, int) or self.min_n < 1:
            raise ConfigError(
                f"min_n (--min-cell-size) must be a positive whole number, not {self.min_n!r}"
            )
        if self.lang not in ("fi", "en"):
            raise ConfigError(f"lang must be 'fi' or 'en', not {self.lang!r}")
        if (
            isinstance(self.weak_alpha, bool)
            or not isinstance(self.weak_alpha, int | float)
            or not 0 <= self.weak_alpha <= 1
        ):
            raise ConfigError(
                f"weak_alpha (--weak-alpha) must be a number from 0 to 1, not {self.weak_alpha!r}"
            )


__all__ = ["BOOTSTRAP_SEED", "MIN_N", "QUOTE_SEED", "WEAK_ALPHA", "Lang", "Settings"]

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

Lang = Literal["fi", "en"]


@dataclass(frozen=True)
class Settings:
    """What a run is configured with (``sosrake run --min-cell-size --lang``; the notebooks' parameters)."""

    min_n: int = MIN_N
    lang: Lang = "fi"
    bootstrap_seed: int = BOOTSTRAP_SEED
    quote_seed: int = QUOTE_SEED

    def __post_init__(self) -> None:
        if isinstance(self.min_n, bool) or not isinstance(self.min_n, int) or self.min_n < 1:
            raise ConfigError(
                f"min_n (--min-cell-size) must be a positive whole number, not {self.min_n!r}"
            )
        if self.lang not in ("fi", "en"):
            raise ConfigError(f"lang must be 'fi' or 'en', not {self.lang!r}")


__all__ = ["BOOTSTRAP_SEED", "MIN_N", "QUOTE_SEED", "Lang", "Settings"]

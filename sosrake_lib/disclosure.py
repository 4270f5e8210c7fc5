"""Disclosure audits: moved to :mod:`sosrake_lib.sdc.audit`; this name keeps working."""

from sosrake_lib.sdc.audit import *  # noqa: F403
from sosrake_lib.sdc.audit import (  # noqa: F401
    DEFAULT_LIMIT,
    TooManyCombinations,
    disclosed,
    nps_possible_values,
    possible_values,
    restore_rounded_stats,
    signed_rank_possible_values,
)

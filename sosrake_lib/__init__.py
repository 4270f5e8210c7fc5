"""SOSRAKE research workbench: import, clean, score and report structural social work survey data.

The public entry points::

    from sosrake_lib import load_instrument, read_export, clean_responses, ExportError
    inst = load_instrument("competence")
    raw = read_export("data/raw/sample/competence_2020.xlsx", inst)
    df = clean_responses(raw, inst)
"""

from .cleaning import clean_responses
from .codebook import load_instrument
from .errors import ConfigError, ExportError
from .io import read_export

__all__ = ["ConfigError", "ExportError", "clean_responses", "load_instrument", "read_export"]
__version__ = "0.1.0"

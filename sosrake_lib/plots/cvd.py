"""Colour-vision deficiency check of the palettes: simulate protanopia, deuteranopia and tritanopia
(:func:`simulate`) and measure how far two colours stay apart (:func:`delta_e2000`).

Simulation: Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color
vision deficiency", IEEE TVCG 15(6), with their matrices for severity 1.0 (complete dichromacy) applied
to linear sRGB, as colorspacious and Chromium's DevTools do. Colour difference: CIEDE2000 (Sharma, Wu &
Dalal 2005, "The CIEDE2000 color-difference formula: implementation notes", Color Res. Appl. 30(1)) in
CIELAB under D65. NumPy only: no colour library is needed for three matrices and one formula.

:data:`MIN_DELTA_E` is the distance adjacent categories keep under every simulated deficiency (and in
normal vision): the figures use small patches, for which a CIEDE2000 difference of about 10 is seen at a
glance; tests/test_plots.py checks the house palettes against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from matplotlib.colors import to_rgb

Deficiency = Literal["normal", "protanopia", "deuteranopia", "tritanopia"]

MIN_DELTA_E = 10.0
"""Smallest CIEDE2000 difference adjacent categories of a palette keep under each deficiency."""

_MACHADO: dict[str, np.ndarray] = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),  # fmt: skip
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),  # fmt: skip
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),  # fmt: skip
}
DEFICIENCIES: tuple[Deficiency, ...] = ("normal", "protanopia", "deuteranopia", "tritanopia")


def _to_linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _to_srgb(lin: np.ndarray) -> np.ndarray:
    lin = np.clip(lin, 0.0, 1.0)
    return np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * lin ** (1 / 2.4) - 0.055)


def simulate(color: str, deficiency: Deficiency) -> tuple[float, float, float]:
    """How ``color`` looks with a complete ``deficiency`` (sRGB, 0–1).

    Examples
    --------
    >>> [round(v, 2) for v in simulate("#ff0000", "deuteranopia")]  # red turns dark olive
    [0.64, 0.57, 0.0]
    >>> bool(np.allclose(simulate("#808080", "tritanopia"), to_rgb("#808080"), atol=0.01))  # grey stays
    True
    """
    rgb = np.array(to_rgb(color), dtype=float)
    if deficiency == "normal":
        return tuple(float(v) for v in rgb)  # type: ignore[return-value]
    out = _to_srgb(_MACHADO[deficiency] @ _to_linear(rgb))
    return tuple(float(round(v, 6)) for v in out)  # type: ignore[return-value]


def _lab(rgb: Sequence[float]) -> np.ndarray:
    lin = _to_linear(np.asarray(rgb, dtype=float))
    m = np.array(
        [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
         [0.0193339, 0.1191920, 0.9503041]]
    )  # fmt: skip
    xyz = m @ lin / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e2000(a: Sequence[float], b: Sequence[float]) -> float:
    """CIEDE2000 difference of two sRGB colours (0–1 floats).

    Examples
    --------
    >>> round(delta_e2000(to_rgb("#000000"), to_rgb("#ffffff")), 1)
    100.0
    >>> delta_e2000(to_rgb("#0072B2"), to_rgb("#0072B2"))
    0.0
    """
    return _delta_e2000_lab(_lab(a), _lab(b))


def _delta_e2000_lab(lab1: Sequence[float], lab2: Sequence[float]) -> float:
    """CIEDE2000 of two CIELAB colours; Sharma et al.'s test pairs 1, 7 and 17:

    >>> [round(_delta_e2000_lab(*p), 4) for p in [((50, 2.6772, -79.7751), (50, 0, -82.7485)),
    ...     ((50, 0, 0), (50, -1, 2)), ((50, 2.5, 0), (73, 25, -18))]]
    [2.0425, 2.3669, 27.1492]
    """
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    dh = h2p - h1p
    if c1p * c2p == 0:
        dh = 0.0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    d_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(h_bar - 30))
        + 0.24 * np.cos(np.radians(2 * h_bar))
        + 0.32 * np.cos(np.radians(3 * h_bar + 6))
        - 0.20 * np.cos(np.radians(4 * h_bar - 63))
    )
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = (
        -2
        * np.sqrt(cp_bar**7 / (cp_bar**7 + 25.0**7))
        * np.sin(np.radians(60 * np.exp(-(((h_bar - 275) / 25) ** 2))))
    )
    return float(
        np.sqrt(
            (dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (dc / s_c) * (d_h / s_h)
        )
    )


def closest_pair(colors: Sequence[str], *, adjacent: bool = True) -> tuple[float, str, int, int]:
    """The smallest CIEDE2000 difference among ``colors`` (adjacent pairs, or all pairs) under normal
    vision and each deficiency: ``(delta_e, deficiency, i, j)``.

    Examples
    --------
    >>> de, who, i, j = closest_pair(["#ff0000", "#00ff00"])  # red and green: one pair
    >>> who, (i, j), de < 20
    ('deuteranopia', (0, 1), True)
    """
    n = len(colors)
    pairs = [(i, i + 1) for i in range(n - 1)] if adjacent else [
        (i, j) for i in range(n) for j in range(i + 1, n)
    ]  # fmt: skip
    best = (float("inf"), "normal", -1, -1)
    for who in DEFICIENCIES:
        sim = [simulate(c, who) for c in colors]
        for i, j in pairs:
            de = delta_e2000(sim[i], sim[j])
            if de < best[0]:
                best = (de, who, i, j)
    return best


__all__ = ["DEFICIENCIES", "MIN_DELTA_E", "closest_pair", "delta_e2000", "simulate"]

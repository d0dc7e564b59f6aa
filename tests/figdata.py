"""Reading figures as Dash sends them: plotly encodes numeric arrays as base64 typed arrays."""

from __future__ import annotations

import base64
from typing import Any

import numpy as np


def values(array: Any) -> list[Any]:
    """A trace array as a list, whether plain or a {'dtype', 'bdata', 'shape'} typed array."""
    if isinstance(array, dict) and "bdata" in array:
        flat = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        shape = array.get("shape")
        if isinstance(shape, str):
            flat = flat.reshape(tuple(int(n) for n in shape.split(",")))
        return flat.tolist()
    return list(array) if array is not None else []

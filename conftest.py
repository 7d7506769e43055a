"""Makes `keras_gen` and `np` available to the docstring examples."""

import numpy as np
import pytest

import keras_gen


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    doctest_namespace["keras_gen"] = keras_gen
    doctest_namespace["np"] = np

"""Running property-based (hypothesis) checks with a count of the examples each one ran.

``FUZZ_SCALE`` multiplies every check's number of examples: the test suite runs at 1 (a few
thousand inputs in all); ``FUZZ_SCALE=4 pytest tests/test_fuzz.py tests/test_fuzz_api.py -s``
runs more than 10,000 and prints the count (see the README, "Sharing the page").
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers.corpus import shipped_seeds

SCALE = float(os.environ.get("FUZZ_SCALE", "1"))
#: Examples run per check in this test session (all fuzz modules together).
EXAMPLES: Counter[str] = Counter()


def run_property(name: str, strategy: st.SearchStrategy, check: Callable, examples: int) -> None:
    """Check ``check`` on ``examples`` × FUZZ_SCALE generated inputs, counting them."""
    examples = max(1, int(examples * SCALE))

    @settings(max_examples=examples, deadline=None, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(strategy)
    def prop(value):
        EXAMPLES[name] += 1
        check(value)

    prop()
    assert EXAMPLES[name] >= examples * 0.9, f"only {EXAMPLES[name]} examples ran"


def report() -> str:
    return f"fuzz examples (FUZZ_SCALE={SCALE:g}): {sum(EXAMPLES.values())} in all so far, {dict(EXAMPLES)}"


@lru_cache(maxsize=1)
def seed_sentences() -> list[str]:
    """Sentences of the shipped seed documents (real text to build inputs from)."""
    text = "".join(p.read_text(encoding="utf-8") for p in shipped_seeds() if p.suffix == ".txt")
    return [s.strip() for s in re.findall(r"[^。！？\n]+[。！？]", text) if len(s.strip()) >= 8]

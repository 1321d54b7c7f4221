"""A covering sample: the fewest items (chosen greedily) that together hold every trait any of them has. `make test` proves
the shipped data on such a sample; `make check-data` proves all of it."""
from typing import Callable, Hashable, Sequence, TypeVar

T = TypeVar("T")

def greedy_cover(items: Sequence[T], traits: Callable[[T], set[Hashable]], tie: Callable[[T], float] = lambda item: 0) -> list[T]:
    "Items picked one at a time, each holding the most traits not yet held (`tie` breaks ties, higher first)."
    left, picked = set().union(*map(traits, items)), []
    while left:
        best = max(items, key=lambda item: (len(traits(item) & left), tie(item)))
        picked.append(best); left -= traits(best)
    return picked

"""Results engine: validity, the elected, ties and further rounds of one count, each with its rule."""

from .engine import compute_results, evaluate
from .margins import candidate_range
from .models import CombinedBallot, CombinedPerson, PostTally, ResultsInput, Tallied
from .outcome import ElectedPerson, ElectionOutcome, PostResult

__all__ = [
    "CombinedBallot",
    "CombinedPerson",
    "ElectedPerson",
    "ElectionOutcome",
    "PostResult",
    "PostTally",
    "ResultsInput",
    "Tallied",
    "candidate_range",
    "compute_results",
    "evaluate",
]

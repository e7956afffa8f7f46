from plans.models.candidates import Candidate
from plans.models.plans import *  # noqa: F403  (plans, tasks and reports; see plans/models/plans.py)

__all__ = ["Candidate"]

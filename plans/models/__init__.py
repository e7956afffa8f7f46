from plans.models.candidates import Candidate, JobRun
from plans.models.home import HomeSnapshot
from plans.models.plans import *  # noqa: F403  (plans, tasks and reports; see plans/models/plans.py)

__all__ = ["Candidate", "HomeSnapshot", "JobRun"]

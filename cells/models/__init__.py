"""The models of `cells`, one module per concern, re-exported so `from cells.models import X` works."""

from cells.models.admissions import Admission, AdmissionQuota
from cells.models.audit import EntryOrganization
from cells.models.meetings import Absentee, Meeting, MeetingReminder, MeetingYear
from cells.models.notifications import Notification
from cells.models.once import AnsweredPost
from cells.models.organizations import Organization, UserRole
from cells.models.report_files import ReportFile
from cells.models.runs import Run
from cells.models.security import SecurityEvent
from cells.models.tree import PATH_SEPARATOR

__all__ = [
    "PATH_SEPARATOR",
    "Absentee",
    "AnsweredPost",
    "Admission",
    "AdmissionQuota",
    "EntryOrganization",
    "Meeting",
    "MeetingReminder",
    "MeetingYear",
    "Notification",
    "Organization",
    "ReportFile",
    "Run",
    "SecurityEvent",
    "UserRole",
]

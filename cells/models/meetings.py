import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cells.models.edits import EditTracked
from cells.models.organizations import Organization
from cells.models.tree import TreeQuerySet
from cells.text import SECTION_MAX


def minutes_scan_path(instance, filename):
    """Stored under MEDIA_ROOT with a random name: the user's file name is never trusted or exposed.

    The extension comes from the checked content (set by the form), not from the upload's name.
    """
    extension = getattr(instance, "_scan_extension", "") or "bin"
    return f"minutes/{instance.date:%Y}/{uuid.uuid4().hex}.{extension}"


class ScanFieldFile(FieldFile):
    """A stored scan whose address is the scoped view: MEDIA_ROOT has no public URL."""

    @property
    def url(self):
        self._require_file()
        return reverse("cells:meeting_scan", kwargs={"meeting_id": self.instance.pk})


class ScanField(models.FileField):
    attr_class = ScanFieldFile


class Meeting(EditTracked):
    """One cell meeting (buổi sinh hoạt chi bộ) and its minute record (biên bản).

    A meeting is identified by its cell, date and kind, so an import run twice adds nothing.
    A combined meeting (định kỳ kết hợp chuyên đề) counts both as a regular and as a themed one.
    Two secretaries correcting one record: the later save is refused with the differences
    (`version`, cells.versions).
    """

    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular meeting")
        THEMED = "themed", _("Themed meeting")
        COMBINED = "combined", _("Regular meeting combined with a theme")

    REGULAR_KINDS = (Kind.REGULAR, Kind.COMBINED)
    THEMED_KINDS = (Kind.THEMED, Kind.COMBINED)

    organization = models.ForeignKey(
        Organization, verbose_name=_("party cell"), on_delete=models.PROTECT, related_name="meetings"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind of meeting"), max_length=16, choices=Kind.choices, default=Kind.REGULAR)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    members_total = models.PositiveSmallIntegerField(_("members on the roll"))
    members_present = models.PositiveSmallIntegerField(_("members present"))
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    guest = models.CharField(
        _("higher-level committee member attending"),
        max_length=120,
        blank=True,
        help_text=_("Name and position, e.g. Nông Văn Tú, Party Committee member of the commune."),
    )
    chair = models.CharField(_("chair"), max_length=120, blank=True)
    minutes_secretary = models.CharField(_("minutes taken by"), max_length=120, blank=True)
    content = models.TextField(_("content"), blank=True, max_length=SECTION_MAX)
    resolution = models.TextField(_("resolution"), blank=True, max_length=SECTION_MAX)
    minutes_scan = ScanField(_("scan of the minutes"), upload_to=minutes_scan_path, blank=True, max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("cell meeting")
        verbose_name_plural = _("cell meetings")
        ordering = ["-date", "organization_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "date", "kind"],
                name="%(app_label)s_%(class)s_unique_cell_date_kind",
                violation_error_message=_("This cell already has a meeting of this kind on this date."),
            ),
            models.CheckConstraint(
                condition=Q(members_present__lte=F("members_total")),
                name="%(app_label)s_%(class)s_present_within_roll",
                violation_error_message=_("More members present than on the roll."),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "date"], name="cells_meeting_org_date_idx"),
            # The meeting list and the admin, newest first, read a page off this index, not a sort.
            models.Index(fields=["date", "id"], name="cells_meeting_date_id_idx"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.date:%d/%m/%Y} · {self.get_kind_display()}"

    @classmethod
    def from_db(cls, db, field_names, values):
        meeting = super().from_db(db, field_names, values)
        # Where the stored meeting is counted (MeetingYear): a save that moves it recounts there too.
        meeting.counted_in = (meeting.__dict__.get("organization_id"), meeting.__dict__.get("date"))
        return meeting

    @property
    def counts_as_regular(self) -> bool:
        return self.kind in self.REGULAR_KINDS

    @property
    def counts_as_themed(self) -> bool:
        return self.kind in self.THEMED_KINDS

    @property
    def absent_count(self) -> int:
        return self.members_total - self.members_present

    @property
    def attendance_percent(self) -> float | None:
        return 100 * self.members_present / self.members_total if self.members_total else None


class MeetingYear(models.Model):
    """A cell's meetings of one year, counted: what the compliance page, its reports and the
    candidate job read instead of the year's millions of meetings.

    Derived data, never edited: every write of meetings recomputes the rows of the cells and years
    it touched (cells.meeting_years), and `manage.py meeting_years YEAR` rebuilds a year. A cell
    without a meeting that year has no row ("no records").
    """

    organization = models.ForeignKey(
        Organization, verbose_name=_("party cell"), on_delete=models.CASCADE, related_name="meeting_years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    meeting_count = models.PositiveIntegerField(_("meetings"))
    regular = models.PositiveIntegerField(_("regular meetings (combined included)"))
    themed = models.PositiveIntegerField(_("themed meetings (combined included)"))
    present_sum = models.PositiveIntegerField(_("members present, summed over the meetings"))
    roll_sum = models.PositiveIntegerField(_("members on the roll, summed over the meetings"))
    with_guest = models.PositiveIntegerField(_("meetings with a higher-level committee member"))
    last_date = models.DateField(_("last meeting"))

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("cell's meetings in a year")
        verbose_name_plural = _("cells' meetings by year")
        constraints = [
            # (year, cell): a year's rows are one index range; a cell's row in a year one lookup.
            models.UniqueConstraint(
                fields=["year", "organization"],
                name="%(app_label)s_%(class)s_one_per_cell_and_year",
                violation_error_message=_("This cell already has its meetings of this year counted."),
            ),
        ]

    def __str__(self):
        return f"{self.organization_id} · {self.year}"


class Absentee(models.Model):
    """A member absent from a meeting, with the reason, as the minutes record it."""

    tree_organization = "meeting__organization"

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="absentees")
    name = models.CharField(_("name"), max_length=120)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("absent member")
        verbose_name_plural = _("absent members")
        ordering = ["pk"]

    def __str__(self):
        # No name: the string lands in audit log entries, which auditors read.
        return f"#{self.pk} · {self.meeting_id}"


class MeetingReminder(models.Model):
    """The log of monthly reminders: one row per cell, month and secretary reminded, so each goes out once.

    A row is committed only after its secretary's e-mail went out (see `meeting_reminders_send`).
    Rows from before reminders were logged per secretary have no user: their cell and month count
    as reminded for everyone.
    """

    organization = models.ForeignKey(
        Organization, verbose_name=_("party cell"), on_delete=models.CASCADE, related_name="meeting_reminders"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month without a regular meeting."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("secretary"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    recipients = models.TextField(_("recipients"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    objects = TreeQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting reminder")
        verbose_name_plural = _("meeting reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "month", "user"],
                name="%(app_label)s_%(class)s_once_per_cell_month_and_secretary",
                violation_error_message=_("A reminder for this cell and month was already sent to this secretary."),
            )
        ]

    def __str__(self):
        return f"{self.organization} · {self.month:%m/%Y}"

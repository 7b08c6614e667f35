"""Speed mentoring (a session of short rounds at tables) and flash mentoring (an expert's one-off
slots that colleagues and mentees book)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from nastavnik.accounts.tenancy import TenantModel


class SessionMode(models.TextChoices):
    BIPARTITE = "bipartite", _("mentors meet mentees")
    PEERS = "peers", _("everyone meets everyone")


class Side(models.TextChoices):
    MENTOR = "mentor", pgettext_lazy("speed mentoring", "mentor")
    MENTEE = "mentee", pgettext_lazy("speed mentoring", "mentee")
    PEER = "peer", pgettext_lazy("speed mentoring", "participant")


class SpeedSession(TenantModel):
    title = models.CharField(_("title"), max_length=300)
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mode = models.CharField(
        _("who meets whom"),
        max_length=16,
        choices=SessionMode.choices,
        default=SessionMode.BIPARTITE,
    )
    tables = models.PositiveSmallIntegerField(
        _("tables"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    rounds = models.PositiveSmallIntegerField(
        _("rounds"), validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    round_minutes = models.PositiveSmallIntegerField(
        _("minutes per round"), default=7, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    generated_at = models.DateTimeField(_("rotation generated"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("speed-mentoring session")
        verbose_name_plural = _("speed-mentoring sessions")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title


class SpeedParticipant(TenantModel):
    session = models.ForeignKey(SpeedSession, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    side = models.CharField(_("side"), max_length=8, choices=Side.choices)
    enrolment = models.ForeignKey(
        "programs.Enrolment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("participant of a speed-mentoring session")
        verbose_name_plural = _("participants of speed-mentoring sessions")
        ordering = ["side", "person__last_name", "person__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="speed_participant_once")
        ]

    def __str__(self) -> str:
        return str(self.person)


class SpeedSeat(TenantModel):
    """One meeting of the rotation: a round, a table and the two people at it."""

    session = models.ForeignKey(SpeedSession, on_delete=models.CASCADE, related_name="seats")
    round_number = models.PositiveSmallIntegerField(_("round"))
    table_number = models.PositiveSmallIntegerField(_("table"))
    first = models.ForeignKey(SpeedParticipant, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(SpeedParticipant, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("seat of a rotation")
        verbose_name_plural = _("seats of rotations")
        ordering = ["round_number", "table_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "round_number", "table_number"], name="speed_seat_unique"
            )
        ]


class SpeedWish(TenantModel):
    """After the session: ``author`` would like to continue with ``wanted``."""

    session = models.ForeignKey(SpeedSession, on_delete=models.CASCADE, related_name="wishes")
    author = models.ForeignKey(SpeedParticipant, on_delete=models.CASCADE, related_name="+")
    wanted = models.ForeignKey(SpeedParticipant, on_delete=models.CASCADE, related_name="+")
    mentorship = models.ForeignKey(
        "mentorships.Mentorship",
        verbose_name=_("proposed pair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("wish to continue")
        verbose_name_plural = _("wishes to continue")
        constraints = [models.UniqueConstraint(fields=["author", "wanted"], name="speed_wish_once")]


class SlotFormat(models.TextChoices):
    IN_PERSON = "in_person", pgettext_lazy("flash mentoring", "in person")
    ONLINE = "online", pgettext_lazy("flash mentoring", "online")


class ExpertKind(models.TextChoices):
    TEACHER = "teacher", pgettext_lazy("flash mentoring", "teacher")
    GRADUATE = "graduate", pgettext_lazy("flash mentoring", "graduate")
    EMPLOYER = "employer", pgettext_lazy("flash mentoring", "employer's specialist")
    OTHER = "other", pgettext_lazy("flash mentoring", "colleague")


class SlotStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("flash slot", "open")
    CANCELLED = "cancelled", pgettext_lazy("flash slot", "cancelled")
    HELD = "held", pgettext_lazy("flash slot", "held")


class FlashSlot(TenantModel):
    expert = models.ForeignKey(
        "people.Person",
        verbose_name=pgettext_lazy("flash slot", "expert"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    expert_kind = models.CharField(
        _("the expert is"), max_length=16, choices=ExpertKind.choices, default=ExpertKind.TEACHER
    )
    topic = models.CharField(_("topic"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(
        _("format"), max_length=16, choices=SlotFormat.choices, default=SlotFormat.IN_PERSON
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("link"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration, minutes"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    seats = models.PositiveSmallIntegerField(
        _("seats"), default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SlotStatus.choices, default=SlotStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("flash-mentoring slot")
        verbose_name_plural = _("flash-mentoring slots")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.topic


class BookingStatus(models.TextChoices):
    BOOKED = "booked", pgettext_lazy("flash booking", "booked")
    CANCELLED = "cancelled", pgettext_lazy("flash booking", "cancelled")
    HELD = "held", pgettext_lazy("flash booking", "held")


class FlashBooking(TenantModel):
    """A booking of a slot; once the slot is held, the booking is the one-meeting mentorship of
    the expert and the person (with the person's short feedback after it). ``mentorships``
    cannot hold it: a mentorship there belongs to a program, a flash meeting to none."""

    slot = models.ForeignKey(FlashSlot, on_delete=models.CASCADE, related_name="bookings")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("booked by"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("how useful (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    feedback = models.TextField(_("feedback after the meeting"), blank=True, max_length=2000)
    feedback_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("booking of a flash slot")
        verbose_name_plural = _("bookings of flash slots")
        ordering = ["booked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "person"],
                condition=~models.Q(status="cancelled"),
                name="flash_booking_once",
            )
        ]

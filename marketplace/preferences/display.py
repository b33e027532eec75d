"""Reading and saving a shopper's display preference: text size, high contrast, 长辈模式.

The preference lives in a long-lived cookie on the device, so it works for everybody and
without JavaScript, and, for a logged-in shopper, on the account (``DisplayPreference``),
so it follows them to another phone. While logged in the account's choice is copied into
the session at login, so reading it on every page costs no query.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.conf import settings

from marketplace.preferences.models import DisplayPreference

COOKIE_NAME = "silver_display"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie
SESSION_KEY = "silver_display"
TEXT_SIZES = [size for size, _label in DisplayPreference.TEXT_SIZES]


@dataclass(frozen=True)
class Display:
    text_size: str = DisplayPreference.STANDARD
    high_contrast: bool = False
    elder_mode: bool = False

    @property
    def html_classes(self) -> str:
        classes = [f"text-{self.text_size}"]
        if self.high_contrast:
            classes.append("contrast-high")
        if self.elder_mode:
            classes.append("elder-mode")
        return " ".join(classes)

    @property
    def stored(self) -> str:
        """The cookie (and session) form: ``large.1.0`` — size, high contrast, elder mode."""
        return f"{self.text_size}.{int(self.high_contrast)}.{int(self.elder_mode)}"

    @classmethod
    def parse(cls, value: str | None) -> Display:
        """A stored value back; anything unreadable is the standard display."""
        parts = (value or "").split(".")
        if len(parts) != 3 or parts[0] not in TEXT_SIZES or not {parts[1], parts[2]} <= {"0", "1"}:
            return cls()
        return cls(text_size=parts[0], high_contrast=parts[1] == "1", elder_mode=parts[2] == "1")


def display_for(*, request) -> Display:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and SESSION_KEY in request.session:
        return Display.parse(request.session[SESSION_KEY])
    return Display.parse(request.COOKIES.get(COOKIE_NAME))


def changed(*, display: Display, text_size: str | None = None, high_contrast: bool | None = None,
            elder_mode: bool | None = None) -> Display:
    """The display with what was chosen changed and the rest kept.

    Turning 长辈模式 on makes standard-size text large; turning it off leaves the size alone.
    """
    if text_size is not None:
        display = replace(display, text_size=text_size)
    if high_contrast is not None:
        display = replace(display, high_contrast=high_contrast)
    if elder_mode is not None:
        display = replace(display, elder_mode=elder_mode)
        if elder_mode and text_size is None and display.text_size == DisplayPreference.STANDARD:
            display = replace(display, text_size=DisplayPreference.LARGE)
    return display


def save_display(*, request, response, display: Display) -> None:
    """Remember on this device (cookie) and, when logged in, on the account."""
    response.set_cookie(COOKIE_NAME, display.stored, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
                        secure=settings.SESSION_COOKIE_SECURE)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        DisplayPreference.objects.update_or_create(user=user, defaults={
            "text_size": display.text_size, "high_contrast": display.high_contrast,
            "elder_mode": display.elder_mode})
        request.session[SESSION_KEY] = display.stored


def account_display(*, user) -> Display | None:
    preference = DisplayPreference.objects.filter(user=user).first()
    if preference is None:
        return None
    return Display(text_size=preference.text_size, high_contrast=preference.high_contrast,
                   elder_mode=preference.elder_mode)


def remember_on_login(sender, request, user, **kwargs) -> None:
    """At login the account's choice (if it has one) replaces the device's for this session."""
    if request is None or not hasattr(request, "session"):
        return
    saved = account_display(user=user)
    if saved is not None:
        request.session[SESSION_KEY] = saved.stored

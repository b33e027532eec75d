"""The data a browser would submit for a page's form, read from the HTML (so a test of a big
admin or dashboard form changes only the fields it cares about)."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_index: int):
        super().__init__(convert_charrefs=True)
        self.form_index, self.seen_forms, self.inside = form_index, -1, False
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None
        self._options: list[tuple[str, bool]] = []
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.seen_forms += 1
            self.inside = self.seen_forms == self.form_index
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select, self._options = (name, "multiple" in attrs), []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self.data[name] = chosen
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.data[self._textarea] = [self._text.lstrip("\n")]
            self._textarea = None


def form_data(html: str, *, form_index: int = 0) -> dict[str, list[str]]:
    reader = _FormReader(form_index)
    reader.feed(html)
    return reader.data


def form_with(html: str, field: str) -> dict[str, list[str]]:
    """The first form on the page that has ``field``."""
    for index in range(html.count("<form")):
        data = form_data(html, form_index=index)
        if field in data:
            return data
    raise AssertionError(f"no form with {field}")

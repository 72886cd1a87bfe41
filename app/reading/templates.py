"""Report templates (a normal chest CT, typical COVID-19...) inserted into the protocol form,
from the menu or by voice."""

from __future__ import annotations

from PySide6.QtCore import QObject

from app.panels.report_panel import ReportPanel
from app.shell.main_window import MainWindow
from records.templates import find_template, template_texts


class TemplateInserter(QObject):
    """Fills the form from one of ``templates`` in the report's language."""

    def __init__(self, window: MainWindow, report: ReportPanel, templates: list,
                 ui_lang: str) -> None:
        super().__init__(window)
        self.window, self.report, self.templates = window, report, templates
        self.ui_lang = ui_lang

    def insert(self, spoken: str | None = None) -> bool:
        """Fill the form from a template (by key or spoken name; the first when none given)."""
        template = find_template(self.templates, spoken)
        if template is None:
            self.window.statusBar().showMessage(self.tr("No template called “%s”") % spoken)
            return False
        if self.report.locked:
            self.window.statusBar().showMessage(self.tr(
                "The report is signed: add an addendum before inserting a template"))
            return False
        form, kept = self.report.form, []
        texts = form.text_editors()
        for key, value in template.values(self.report.writing_lang).items():
            own = texts[key].toPlainText().strip() if key in texts else ""
            if own and own not in template_texts(self.templates, key):
                kept.append(form.protocol.field(key).label.get(self.ui_lang, key))
                continue  # the reader's own words are never replaced by a template
            form.set_value(key, value)
        title = template.title.get(self.ui_lang, template.key)
        message = self.tr("Template inserted: %s") % title
        if kept:
            message = self.tr("Template inserted: %1; your text kept in: %2").replace(
                "%1", title).replace("%2", ", ".join(kept))
        self.window.statusBar().showMessage(message)
        return True

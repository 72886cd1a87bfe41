"""Report templates (a normal chest CT, typical COVID-19...) inserted into the protocol form,
from the menu or by voice."""

from __future__ import annotations

from PySide6.QtCore import QObject

from app.panels.report_panel import ReportPanel
from app.shell.main_window import MainWindow
from records.templates import find_template


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
        for key, value in template.values(self.report.report_lang).items():
            self.report.form.set_value(key, value)
        self.window.statusBar().showMessage(
            self.tr("Template inserted: %s") % template.title.get(self.ui_lang, template.key))
        return True

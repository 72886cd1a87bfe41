"""The report editor: protocol form, free text, live report text, sign and addendum.

The form is autosaved to a draft file every few seconds and restored when the study is
opened again (after a crash too), with the links of dictated words to their audio
(:mod:`app.playback.word_audio`; kept after signing too). Signing stores a final version in the
records store, which queues it for the archive (or keeps it on this station when the study's
UID was derived from the images). Signing shows the report and the checks' problems first
(:mod:`app.panels.sign_preview`); a signed report is locked, and a change is an addendum with a
reason, signed as a new (amended) version.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QSignalBlocker, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.panels import terms
from app.panels.drafts import Draft, discard_draft, load_draft, save_draft
from app.panels.protocol_form import GrowingText, ProtocolForm
from app.panels.sign_preview import AddendumDialog, SignPreview, discard_addendum, problem_text
from app.playback.word_audio import WordAudio
from app.shell.error_text import error_text
from core.errors import LuchError
from core.names import dicom_date, person_name
from records import ReportStatus, Store
from records.audit_sample import CENTRE_FIELD
from records.errors import ProtocolError
from records.findings import findings_text
from records.key_objects import KEY_IMAGES, key_images_text, report_language
from records.protocol import Protocol
from records.report_checks import check_report
from records.store import SIGNED

AUTOSAVE_MS = 3000
PREFERRED_WIDTH = 460  # px: labels and fields side by side without wrapping most labels
ADDENDUM_WORD = {"ru": "Дополнение", "en": "Addendum"}  # in the report language
# Voice commands that answer the signing preview (resources/dictation/commands.yaml).
PREVIEW_SIGN = frozenset({"sign_report"})
PREVIEW_BACK = frozenset({"cancel", "scratch_that", "undo", "previous_field"})
FREE_TEXT = "free_text"  # the additional text's key in the form (not a protocol field)
REPORT_LANGUAGES = (("ru", "Русский"), ("en", "English"))  # each named in itself


class ReportPanel(QWidget):
    """Edits one study's report; ``signed`` carries the stored version."""

    signed = Signal(object)
    message = Signal(str)
    # The signing preview opened (True) or closed (False): dictation answers it meanwhile.
    previewing = Signal(bool)
    report_language_changed = Signal(str)
    locked_changed = Signal(bool)  # signed (True) or open for writing (False)

    def __init__(self, store: Store, protocol: Protocol, author: str, ui_lang: str = "en",
                 report_lang: str = "ru", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.protocol, self.author = store, protocol, author
        self.report_lang = report_lang
        self.study_uid: str | None = None
        self._queued: str | None = None  # signed here, not yet known to be in the archive
        self.report_uid: str | None = None
        self.ai_result_id: int | None = None
        self.addendum_reason: str | None = None
        # The AI pre-read shown to the reader (its JSON), for the checks before signing.
        self.ai_values: Callable[[], dict | None] = lambda: None
        # The viewer's key images (records.key_objects dicts): named in the text, stored with
        # the signed version and sent with it as a KOS.
        self.key_images: Callable[[], list[dict]] = lambda: []
        self.centre = ""  # this station's centre (setting referral.centre), kept at signing
        self.addendum_keys = "Ctrl+Shift+D"  # named in messages; the window sets the real one
        # Keys that sign when pressed in the preview (those that open it; the window's own).
        self.sign_keys: Callable[[], list[str]] = lambda: ["Ctrl+Shift+S", "Ctrl+Return"]
        self._sign_preview: SignPreview | None = None  # open while the reader decides
        self.anonymize = False  # names hidden on screen (View > Anonymize corner text)
        self._dirty = False
        self._locked = False
        self._signed_text = ""  # the latest signed version's text, shown while locked
        self._signed_lang = ""  # the language that text is in, shown by the combo while locked
        # The signed version's form values and additional text: an addendum differing from
        # them has text written, which Cancel asks before discarding.
        self._signed_values: tuple[dict, str] = ({}, "")

        self.title = QLabel(f"<b>{protocol.title.get(ui_lang, protocol.id)}</b>")
        self.title.setWordWrap(True)
        # The report's language, shown and changed here (the setting report.language).
        self.language = QComboBox()
        self.language.setObjectName("report-language")
        for code, name in REPORT_LANGUAGES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(report_lang)))
        self.language.currentIndexChanged.connect(
            lambda _n: self.set_report_language(self.language.currentData()))
        language_label = QLabel(self.tr("Report &language:"))
        language_label.setBuddy(self.language)
        self.form = ProtocolForm(protocol, ui_lang)
        self.free_text = GrowingText()
        self.free_text.setPlaceholderText(self.tr("Additional text (dictate or type)"))
        self.free_text.setObjectName("free-text")
        # The last field of the form: in the field order (keys, voice), dictated into.
        self.form.add_text_field(FREE_TEXT, self.tr("Additional text"), self.free_text,
                                 names=["additional text", "дополнительный текст"],
                                 spill=True)  # dictated words that fit no value: not lost
        self.words = WordAudio(self.form)  # dictated words -> their audio
        self._words_dirty = False
        # One scroll for the whole form (its lists and texts are as tall as their content),
        # never sideways; the field being filled is scrolled into view.
        sheet = QWidget()
        column = QVBoxLayout(sheet)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.form)
        column.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("report-form")
        self.scroll.setWidgetResizable(True)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(sheet)
        self.form.current_changed.connect(
            lambda key: self.scroll.ensureWidgetVisible(self.form.rows[key], 0, 6))
        self.preview = QTextBrowser()
        self.preview.setObjectName("report-text")
        # Read-only: the report as it will be signed, made from the form above (an empty
        # white box below the form looked like the place to type or dictate into).
        self.preview.setPlaceholderText(self.tr(
            "The report text appears here as the form above is filled in"))
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.scroll)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.status = QLabel()
        self.status.setObjectName("report-status")
        self.status.setWordWrap(True)  # a long message must not widen the panel
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.save_button = QPushButton(self.tr("Save draft"))
        self.sign_button = QPushButton(self.tr("Sign"))
        self.sign_button.setObjectName("sign")
        self.save_button.clicked.connect(self.save_now)
        self.cancel_button = QPushButton(self.tr("Cancel addendum"))
        self.cancel_button.setObjectName("cancel-addendum")
        self.cancel_button.setToolTip(self.tr(
            "Discard the addendum (Esc); the signed report stays as it is"))
        self.cancel_button.clicked.connect(lambda: self.cancel_addendum())
        self.cancel_button.hide()
        self.sign_button.clicked.connect(
            lambda: self.start_addendum() if self._locked else self.sign())
        self.locked_note = QLabel(self.tr("Signed: read-only. Changes go into an addendum."))
        self.locked_note.setObjectName("report-locked")
        self.locked_note.setStyleSheet("color: #1d5fd1; font-weight: bold")
        self.locked_note.hide()
        # Where the AI values came from (marked when the reader corrected the labels).
        self.prefill_note = QLabel()
        self.prefill_note.setObjectName("report-prefill")
        self.prefill_note.setWordWrap(True)
        self.prefill_note.setStyleSheet("color: #b35c00")
        self.prefill_note.hide()
        # A study that is not a chest CT (an abdomen named): the form is the chest CT
        # protocol, which does not fit it; said here, and its CT grade not asked for.
        self.chest = True
        self.region_note = QLabel(self.tr(
            "Not a chest CT: this form is the chest CT protocol (viral pneumonia) and its "
            "fields do not apply to this study. Write the report in the additional text and "
            "the conclusion; no CT grade is needed to sign."))
        self.region_note.setObjectName("report-not-chest")
        self.region_note.setWordWrap(True)
        self.region_note.setStyleSheet("color: #b35c00; font-weight: bold")
        self.region_note.hide()
        QShortcut(QKeySequence("Ctrl+S"), self, self.save_now)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.sign)

        # The status sits left of the buttons, over them while an addendum is written: its
        # three buttons left it no room in Russian (and widened the column).
        self._buttons = buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.sign_button)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(language_label)
        header.addWidget(self.language)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.locked_note)
        layout.addWidget(self.region_note)
        layout.addWidget(self.prefill_note)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(buttons)

        self.form.values_changed.connect(self._changed)
        self.form.checks_changed.connect(self._changed)  # the marks are kept in the draft
        self.free_text.textChanged.connect(self._changed)
        self.words.changed.connect(self._words_changed)
        self.words.message.connect(self.message)
        self._autosave = QTimer(self)
        self._autosave.timeout.connect(self.save_now)
        self._autosave.start(AUTOSAVE_MS)
        self.setEnabled(False)

    def sizeHint(self) -> QSize:
        """Wide enough for the labels beside their fields (the dock starts at this width)."""
        hint = super().sizeHint()
        return QSize(max(hint.width(), PREFERRED_WIDTH), hint.height())

    # -- study ------------------------------------------------------------------------------------
    def set_chest(self, chest: bool) -> None:
        """Whether the study being read is a chest CT, as far as its headers say (False: only
        another region named): if not, the panel says the chest protocol does not fit it and
        signing does not ask for the CT grade."""
        self.chest = chest
        self.region_note.setVisible(not chest)

    def begin(self, study_uid: str) -> bool:
        """Edit the report of ``study_uid``; returns True when a draft was restored."""
        self.save_now()
        another = study_uid != self.study_uid
        self.study_uid = study_uid
        self._queued = None
        self.prefill_note.hide()
        reports = self.store.reports_for_study(study_uid)
        self.report_uid = reports[-1].uid if reports else None
        self.ai_result_id = None
        self.addendum_reason = None
        latest = self.store.report_versions(self.report_uid)[-1] if self.report_uid else None
        signed = latest is not None and latest.status in SIGNED
        self._signed_text = latest.text if signed else ""
        self._signed_lang = (report_language(latest.fields.get(KEY_IMAGES) or [], latest.text)
                             if latest is not None and signed else "")
        self._signed_values = (({k: v for k, v in latest.fields.items() if not k.startswith("_")},
                                latest.fields.get("_free_text", ""))
                               if latest is not None and signed else ({}, ""))
        draft = load_draft(study_uid)
        if draft is not None and signed and not draft.addendum_reason:
            draft = None  # left over from before signing: the signed version stands
        if draft is not None:
            self.report_uid = draft.report_uid or self.report_uid
            self.ai_result_id = draft.ai_result_id
            self.addendum_reason = draft.addendum_reason
            self.form.set_values(draft.fields)
            self.form.restore_checks(draft.to_check)  # still to be checked, as before
            self.free_text.setPlainText(draft.free_text)
            self.status.setText(self.tr("Addendum draft restored; reason: %s")
                                % draft.addendum_reason if draft.addendum_reason
                                else self.tr("Draft restored"))
        elif latest is not None:
            self.form.set_values({k: v for k, v in latest.fields.items()
                                  if not k.startswith("_")})
            self.free_text.setPlainText(latest.fields.get("_free_text", ""))
            status = terms.term(latest.status.value)
            if signed and self.store.study_kept_local(study_uid):
                self.status.setText(self.tr(
                    "Report %s, kept on this workstation: the study has no DICOM identity in "
                    "the archive (opened from NIfTI or files without UIDs)") % status)
            else:
                self.status.setText(self.tr("Report %s") % status)
        else:
            self.form.set_values({})
            self.free_text.clear()
            self.status.setText(self.tr("New report"))
        self.words.restore(study_uid)  # after the text: links are checked against it
        self._dirty = self._words_dirty = False
        self.setEnabled(True)
        self._set_locked(signed and draft is None)
        self._update_preview()
        if another:  # a new study's report starts as the first one did, at its top, with
            focused = self.form.focusWidget()  # no field taken over from the last study
            if focused is not None:
                focused.clearFocus()  # the keys go to the images (the window gives them)
            self.form.mark_field(None)
            self.scroll.verticalScrollBar().setValue(0)
        return draft is not None

    # -- locking and addenda ----------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        """The report is signed and no addendum is being written: nothing can change."""
        return self._locked

    def _set_locked(self, locked: bool) -> None:
        changed, self._locked = locked != self._locked, locked
        self.form.set_read_only(locked)
        self.free_text.setReadOnly(locked)
        self.sign_button.setText(self.tr("Add addendum…") if locked else
                                 self.tr("Sign addendum") if self.addendum_reason else
                                 self.tr("Sign"))
        self.save_button.setEnabled(not locked)
        self.cancel_button.setVisible(not locked and bool(self.addendum_reason))
        self._place_status(over_buttons=self.cancel_button.isVisibleTo(self))
        self.locked_note.setVisible(locked)
        self._show_language()
        if changed:
            self.locked_changed.emit(locked)

    def _place_status(self, over_buttons: bool) -> None:
        """The status beside the buttons, or in a line of its own over them (an addendum's
        three buttons take the row); the buttons stay at the right either way."""
        layout = self.layout()
        if over_buttons == (layout.indexOf(self.status) >= 0):
            return
        if over_buttons:
            self._buttons.removeWidget(self.status)
            self._buttons.insertStretch(0, 1)
            layout.insertWidget(layout.indexOf(self.splitter) + 1, self.status)
        else:
            layout.removeWidget(self.status)
            self._buttons.takeAt(0)  # the stretch
            self._buttons.insertWidget(0, self.status, 1)

    @property
    def writing_lang(self) -> str:
        """The language the report's text is made in: the signed report's while an addendum
        to it is written (the amended version is the same report: its headings, fixed
        phrases and the addendum's own words in one language), else the setting's."""
        if self.addendum_reason and self._signed_lang:
            return self._signed_lang
        return self.report_lang

    def _show_language(self) -> None:
        """The combo names the signed report's language while it is locked or an addendum to
        it is written (its text is in that language whatever the setting), else the
        language being written in; only a report not signed yet can change it."""
        fixed = bool(self._signed_lang) and (self._locked or bool(self.addendum_reason))
        lang = self._signed_lang if fixed else self.report_lang
        with QSignalBlocker(self.language):  # showing is not choosing: the setting stays
            self.language.setCurrentIndex(max(0, self.language.findData(lang)))
        self.language.setEnabled(not self._locked and not fixed)

    def start_addendum(self, reason: str | None = None) -> bool:
        """Unlock a signed report to change it; the change is signed as a new (amended)
        version with ``reason`` (asked for when not given). False if nothing was started."""
        if self.study_uid is None or not self._locked:
            return False
        if reason is None:
            dialog = AddendumDialog(self)
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            self._back_to_form()
            if not accepted:
                return False
            reason = dialog.reason()
        reason = reason.strip()
        if not reason:
            return False
        self._signed_values = (self.form.values(), self.free_text.toPlainText())
        self.addendum_reason = reason
        self._set_locked(False)
        self._dirty = True
        self.save_now()  # the addendum and its reason survive a crash
        self.status.setText(self.tr("Addendum; reason: %s") % reason)
        self._update_preview()
        self.form.focus_field(self.form.current or next(iter(self.form.editors)))
        return True

    def cancel_addendum(self, ask: bool = True) -> bool:
        """Abandon the addendum being written: its draft is discarded and the signed version
        shown again, locked (nothing stored changes). When text was written in it, the reader
        is asked first (``ask``). False if nothing was cancelled."""
        if self.study_uid is None or self._locked or not self.addendum_reason:
            return False
        written = (self.form.values(), self.free_text.toPlainText()) != self._signed_values
        if ask and written:
            answer = discard_addendum(self)
            self._back_to_form()
            if not answer:
                return False
        self.addendum_reason = None
        self._dirty = self._words_dirty = False  # the addendum's words are not kept
        discard_draft(self.study_uid)
        self.begin(self.study_uid)  # the signed version, locked, as the study opened
        self.status.setText(self.tr("Addendum cancelled; the signed report stands"))
        return True

    def event(self, event: QEvent) -> bool:
        """Esc in the panel while an addendum is written is the panel's (it cancels it),
        not the window's (which would end a measuring tool)."""
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Escape and self.cancel_button.isVisible()):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.cancel_button.isVisible():
            self.cancel_addendum()
            return
        super().keyPressEvent(event)

    def _words_changed(self) -> None:
        self._words_dirty = True

    def _changed(self) -> None:
        self._dirty = True
        self._update_preview()

    def insert_ai_findings(self, kinds: tuple[str, ...] = ("focus", "lesion"),
                           quiet: bool = False) -> int:
        """Write the AI's flagged findings of ``kinds`` (solid foci, lesions) as sentences in
        the report's language into the text field being filled (the additional text when it
        is not a text field); sentences already there are not repeated. Returns how many."""
        if self._locked:
            if not quiet:
                self.message.emit(self.tr(
                    "The report is signed: add an addendum before inserting findings"))
            return 0
        sentences = findings_text(self.ai_values(), self.writing_lang, kinds).splitlines()
        texts = self.form.text_editors()
        key = self.form.current
        editor = texts.get(key, self.free_text) if key else self.free_text
        if self.free_text.hasFocus():
            editor = self.free_text
        new = [line for line in sentences if line not in editor.toPlainText()]
        if new:  # appended at the end, as typed text is (dictated words keep their audio)
            cursor = editor.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.End)
            separator = "\n" if editor.toPlainText().strip() else ""
            cursor.insertText(separator + "\n".join(new))
            editor.setTextCursor(cursor)
        if not quiet:
            self.message.emit(self.tr("AI findings inserted into the report")
                              if new else self.tr("No AI findings to insert"))
        return len(new)

    def set_report_language(self, lang: str) -> None:
        """Write the report in ``lang`` ("ru" or "en") from now on (the text is made anew
        from the fields; what was typed stays as typed)."""
        if lang == self.report_lang:
            return
        self.report_lang = lang
        self._show_language()  # a signed report's combo keeps naming the signed language
        self._update_preview()
        self.report_language_changed.emit(lang)

    def report_text(self) -> str:
        fields = self.form.values()
        extra = self.free_text.toPlainText().strip()  # the findings: before the conclusion
        lang = self.writing_lang
        try:
            text = self.protocol.render(fields, lang, extra)
        except LuchError:
            text = self.protocol.render({k: v for k, v in fields.items() if k != "grade"},
                                        lang, extra)
        keys = key_images_text(self.key_images(), lang)
        addendum = (f"{ADDENDUM_WORD.get(lang, 'Addendum')}: {self.addendum_reason}"
                    if self.addendum_reason else "")
        return "\n\n".join(part for part in (text, keys, addendum) if part)

    def refresh_text(self) -> None:
        """Make the report text anew (something it names changed outside the form)."""
        self._update_preview()

    def _update_preview(self) -> None:
        """The report text: as signed (a locked report), else as the form makes it now."""
        self.preview.setPlainText(self._signed_text if self._locked else self.report_text())

    # -- saving -----------------------------------------------------------------------------------
    def save_now(self) -> None:
        """Write the draft file (and the word links) if anything changed since the last save.

        The word links are kept after signing too, so the signed report's words still play."""
        if self.study_uid is not None and self._words_dirty:
            self.words.save(self.study_uid)
            self._words_dirty = False
        if self.study_uid is None or not self._dirty:
            return
        save_draft(Draft(self.study_uid, self.form.values(), self.free_text.toPlainText(),
                         self.report_uid, self.ai_result_id, self.addendum_reason,
                         to_check=self.form.to_check()))
        self._dirty = False

    def sign(self) -> None:
        """Check the report, show it with the problems found, and store it once the reader
        confirms: final, or amended with the addendum's reason. A signed report is locked;
        signing it again asks for an addendum instead of amending it silently."""
        if self._sign_preview is not None:  # "sign" again (voice, pedal): confirmed
            self._sign_in_preview()
            return
        if self.study_uid is None:
            return
        if self._locked:
            text = self.tr("The report is signed. To change it, add an addendum (%s).") \
                % self.addendum_keys
            self.status.setText(text)
            self.message.emit(text)
            return
        fields = self.form.values()
        try:
            fields = self.protocol.validate(fields, complete=self.chest)
        except ProtocolError as err:
            text = error_text(err)
            if err.missing:  # name them as the form does, and go to the first
                labels = ", ".join(self.protocol.field(k).label.get(self.form.lang, k)
                                   for k in err.missing)
                text = self.tr("Fill in before signing: %1").replace("%1", labels)
                self.form.focus_field(err.missing[0])
            self.status.setText(text)
            self.message.emit(text)
            return
        free_text = self.free_text.toPlainText().strip()
        report_text = self.report_text()
        problems = check_report(fields, free_text, self.ai_values(), report_text)
        worded = [problem_text(p, self.protocol, self.form.lang) for p in problems]
        # Values said by voice into fields with near-opposite options, not yet checked.
        worded += [self.form.check_text(key) for key in self.form.to_check()]
        if not self.confirm_signing(report_text, worded):
            self.status.setText(self.tr("Not signed"))
            to_mend = [*self.form.to_check(),
                       *(p.form_field for p in problems if p.form_field in self.form.editors)]
            if to_mend:  # back where the first problem is put right, not the last field
                self.form.focus_field(to_mend[0])
            return
        previous = self.store.report_versions(self.report_uid) if self.report_uid else []
        signed_before = bool(previous) and previous[-1].status in SIGNED
        status = ReportStatus.AMENDED if signed_before else ReportStatus.FINAL
        stored = {**fields, "_free_text": free_text}
        if self.key_images():
            stored[KEY_IMAGES] = self.key_images()
        if self.centre:  # the audit sample draws per centre (records.audit_sample)
            stored[CENTRE_FIELD] = self.centre
        try:
            record = self.store.save_report(
                self.study_uid, author=self.author, fields=stored, text=report_text,
                status=status, protocol=self.protocol.id, report_uid=self.report_uid,
                reason=self.addendum_reason or "")
        except LuchError as err:
            self.status.setText(error_text(err))
            self.message.emit(error_text(err))
            return
        self.report_uid = record.report_uid
        self._signed_text = record.text
        self._signed_lang = self.writing_lang
        self.addendum_reason = None
        discard_draft(self.study_uid)
        self._dirty = False
        self._set_locked(True)
        self._update_preview()
        addendum = status is ReportStatus.AMENDED
        if self.store.study_kept_local(self.study_uid):
            self.status.setText(self.tr(
                "Addendum signed, kept on this workstation: the study has no DICOM identity in "
                "the archive (opened from NIfTI or files without UIDs)") if addendum else self.tr(
                "Signed, kept on this workstation: the study has no DICOM identity in the "
                "archive (opened from NIfTI or files without UIDs)"))
        else:
            self.status.setText(self.tr("Addendum signed, queued for the archive") if addendum
                                else self.tr("Signed, queued for the archive"))
            self._queued = "addendum" if addendum else "report"
        self.signed.emit(record)

    def note_archived(self) -> None:
        """The outbox was counted: a report signed here and said to be queued says when it
        is in the archive (it said "queued" while the bar said "unsent: 0")."""
        if self._queued is None or self.study_uid in self.store.unsent_study_uids():
            return
        self.status.setText(self.tr("Addendum signed, sent to the archive")
                            if self._queued == "addendum"
                            else self.tr("Signed, sent to the archive"))
        self._queued = None

    def patient_line(self) -> str:
        """Whose study the report is of (name, ID, study date): the preview names the
        patient before signing. Blank names stay hidden while the screen is anonymized."""
        if self.study_uid is None:
            return ""
        name, patient_id, date = self.store.whose(self.study_uid)
        name = person_name(name)
        if self.anonymize:
            name = patient_id = ""
        shown_date = dicom_date(date)
        parts = [self.tr("Patient: %s") % (name or patient_id) if name or patient_id else "",
                 self.tr("ID %s") % patient_id if name and patient_id and name != patient_id
                 else "", self.tr("study of %s") % shown_date if shown_date else ""]
        return " · ".join(p for p in parts if p)

    def confirm_signing(self, text: str, problems: list[str]) -> bool:
        """Show the report to be signed and the problems found; True to sign."""
        preview = SignPreview(text, problems, self.addendum_reason, self,
                              self.sign_keys(), patient=self.patient_line(),
                              hold=self.sign_hold())
        self._sign_preview = preview
        self.previewing.emit(True)
        try:
            accepted = preview.exec() == QDialog.DialogCode.Accepted
        finally:
            self._sign_preview = None
        self._back_to_form()
        self.previewing.emit(False)
        return accepted

    def answer_preview(self, command: str) -> bool:
        """A voice command while the signing preview is open: "sign"/«подписать» sign,
        "cancel"/«отмена»/"go back"/«назад» go back to the report. True if it answered."""
        preview = self._sign_preview
        if preview is None:
            return False
        if command in PREVIEW_SIGN:
            self._sign_in_preview()
        elif command in PREVIEW_BACK:
            preview.reject()
        else:
            return False
        return True

    def sign_hold(self) -> str:
        """Why a key, the pedal or a spoken "sign" may not sign now: values said by voice
        into fields with near-opposite options, not yet checked by the reader (only the
        preview's Sign button, clicked, signs past them); empty when nothing holds."""
        waiting = self.form.to_check()
        if not waiting:
            return ""
        labels = ", ".join(self.protocol.field(k).label.get(self.form.lang, k) for k in waiting)
        return self.tr("Not signed: a value set by voice is still marked “check this value” "
                       "(%1). Go back to the report and confirm it (click the field), or click "
                       "“Sign anyway”.").replace("%1", labels)

    def _sign_in_preview(self) -> None:
        """A spoken "sign", the pedal or a sign key while the preview is open: it signs,
        unless :meth:`sign_hold` says why not (then the status says so)."""
        preview = self._sign_preview
        if preview is not None and not preview.try_sign():
            self.status.setText(preview.hold)
            self.message.emit(preview.hold)

    def _back_to_form(self) -> None:
        """After a dialog: the keyboard is back in the report, at the field being filled."""
        self.window().activateWindow()
        self.form.focus_field(self.form.current or next(iter(self.form.editors)))

"""``luch open PATH``: show a study; ``--screenshot`` renders offscreen, saves a PNG and exits."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
import threading
from pathlib import Path

from core.errors import LuchError
from core.paths import DEMO_STUDY

SCREENSHOT_SIZE = (1600, 1000)
SIGNED_OUT = 75  # the event loop's exit code when the reader signs out (not a process's)
# At quit, once the window is gone and everything the reader made is saved: how long the
# background work cancelled then (a pre-read's network pass, a sync, a fetch) may take to end
# before the process ends without it (under load it took 10-30 s: an AI pre-read does not stop
# mid-pass, and the interpreter waited for it at exit).
QUIT_GRACE_MS = 2500


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "open", help="open a DICOM folder or NIfTI file in the viewer",
        description="Open a DICOM folder, DICOM file or NIfTI file in the viewer.")
    parser.add_argument("path", type=Path, help="DICOM folder or file, or .nii/.nii.gz")
    parser.add_argument("--prior", type=Path, help="a prior study to compare with, side by side")
    parser.add_argument("--layout", choices=["1x1", "1x2", "mpr", "2x2", "compare"],
                        help="view layout (default: from the hanging protocol)")
    parser.add_argument("--preset", help="window preset: lung, mediastinum, bone, soft-tissue "
                        "(default: from the hanging protocol)")
    parser.add_argument("--overlay", type=Path, metavar="MASK",
                        help="a label map of this series (NIfTI or DICOM SEG) to draw over it")
    parser.add_argument("--screenshot", metavar="FILE",
                        help="render offscreen, save a PNG of the window and exit")
    parser.set_defaults(run=lambda args: run_app(
        args.path, screenshot=args.screenshot, preset=args.preset, layout=args.layout,
        prior=args.prior, overlay=args.overlay, end_process=True))


def prepare_environment(screenshot: bool) -> None:
    """Choose offscreen rendering before Qt and VTK load: for screenshots, or with no display."""
    no_display = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if screenshot or no_display:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")


def open_records():
    """The records store; with encryption at rest on, a plain database is converted and
    the files written before it was on are sealed (once); a cache of images named by UID
    is moved to hashed names."""
    # deferred: `luch --help` and the other commands do not load it
    from app.commands._sealing import key_private_names, seal_home
    from archive.cache import ImageCache
    from archive.cache_layout import start_migration
    from core import vault
    from records import open_store

    store = open_store()
    start_migration(ImageCache())  # a cache of before: its UIDs out of the file names
    key_private_names(store.study_uids())  # drafts, dictations, logs: keyed names (once)
    seal_home()
    if vault.current() is not None:
        vault.no_core_dumps()  # a crash's memory image would be plain PHI
    return store


def records_or_message(parent=None):
    """:func:`open_records`, or None after telling the reader why not (a lost station key,
    no OS keyring) in a dialog: the app cannot run without its records."""
    try:
        return open_records()
    except LuchError as err:
        # deferred: Qt only for the app, after _import_qt_free_first
        from PySide6.QtWidgets import QMessageBox

        from app.shell.error_text import localize

        QMessageBox.critical(parent, "Luch", localize(str(err)))
        return None


def profile_or_message(quiet: bool = False):
    """The lock on this profile (:func:`core.profile_lock.hold_profile`), or None after
    telling the reader that another Luch window has it (on stderr when ``quiet``)."""
    # deferred: after _import_qt_free_first, like the records
    from core.profile_lock import ProfileInUse, hold_profile

    try:
        return hold_profile()
    except ProfileInUse as err:
        from PySide6.QtWidgets import QMessageBox  # deferred: Qt only for the app

        from app.shell.error_text import localize

        if quiet:
            print(f"luch: {localize(str(err))}", file=sys.stderr)
        else:
            QMessageBox.warning(None, "Luch", localize(str(err)))
        return None


def reader_name() -> str:
    """The reader when the station does not ask who signs in: the OS login."""
    return getpass.getuser()


def ask_who_reads(settings, store) -> str | None:
    """The login signed in by the sign-in dialog (``records.sign_in``), or None (quit)."""
    # deferred: Qt only for the app, after _import_qt_free_first
    from app.shell.sign_in import ask_who_reads as dialog
    from records.directory import Directory

    return dialog(Directory.from_settings(settings),
                  lambda actor, action, detail: store.audit(actor, action, "", **detail))


def archive_client():
    """The archive client from the environment or settings, or None (offline) if unset."""
    # deferred: `luch --help` and the other commands do not load it
    from archive.credentials import load_config
    from archive.dicomweb import DicomWebClient
    from archive.errors import ArchiveConfigError

    try:
        return DicomWebClient(load_config())
    except ArchiveConfigError:
        return None


def dictation_factory(settings):
    """Builds a dictation session with the engine, language and microphone from settings;
    ``factory.writing`` (set once the report exists) says the language the report is
    written in at each start (an addendum: the signed report's)."""

    def factory(on_event, hands_free: bool = True):
        # deferred: `luch --help` and the other commands do not load it
        from app.shell.i18n import dictation_language  # deferred: as above
        from dictation.options import open_recognizer
        from dictation.session import DictationEvent, DictationSession
        from dictation.transcript import DictationProcessor

        writing = factory.writing() if factory.writing is not None else None
        lang = dictation_language(settings, writing)  # at each start: the report's may change
        # The same engine and options as `luch transcribe` with no flags; Whisper falls back
        # to PocketSphinx (English) or Vosk, with a notice, where it cannot start.
        recognizer, engine, fallback = open_recognizer(lang)
        session = DictationSession(recognizer, DictationProcessor(lang), on_event,
                                   device=settings.get("dictation.device"), hands_free=hands_free)
        if fallback is not None:
            on_event(DictationEvent("notice", error=fallback, text=engine))
        return session

    factory.writing = None
    return factory


def _warm_up_decoders(settings) -> None:
    """Start the decoding workers and, for Vosk, a first decode (a new Vosk recogniser's first
    utterances cost about 1.5x), in the background once the window is up."""
    threading.Thread(target=_warm_up_studies, name="luch-decoder-warm-up", daemon=True).start()
    threading.Thread(target=_warm_up_dictation, args=(settings,), name="luch-vosk-warm-up",
                     daemon=True).start()


def _warm_up_studies() -> None:
    # deferred: imported here, on the warm-up thread (28-72 ms on the UI thread otherwise)
    from studies import warm_up  # the readers too, not only the decoders

    warm_up()


def _warm_up_dictation(settings) -> None:
    # deferred: the engines load here, on the warm-up thread, not at start-up
    from dictation.engines import configured_engine

    try:
        engine = configured_engine()
        from app.shell.i18n import dictation_language  # deferred: on the warm-up thread
        from dictation.options import build_options  # deferred: on the warm-up thread

        options = build_options(dictation_language(settings))
        if engine == "vosk":
            from dictation.engines.vosk_engine import warm_up  # deferred: as above
        elif engine == "whisper":  # loads (and for Russian joins) the model, one decode
            from dictation.engines.whisper_engine import warm_up  # deferred: as above
        else:
            return
        warm_up(options)
    except Exception as err:  # a missing model is told when dictation starts, not here
        logging.getLogger(__name__).info("dictation warm-up skipped: %s", type(err).__name__)


def _import_qt_free_first() -> None:
    """Import the window's Qt-free libraries before PySide6: PySide6's import hook reads and
    compiles the source of every module imported after it (``__feature__``), which cost
    about 0.35 s of start-up (benchmarks/startup.py)."""
    # deferred: only for the window, and before PySide6 (see above)
    import numpy  # noqa: F401
    import pydicom  # noqa: F401
    import sqlalchemy  # noqa: F401

    import archive.cache  # noqa: F401
    import records.models
    import records.sign_in
    import records.worklist  # noqa: F401


def run_app(path: Path | None, demo: bool = False, screenshot: str | None = None,
            preset: str | None = None, layout: str | None = None, prior: Path | None = None,
            overlay: Path | None = None, startup_probe: bool = False,
            end_process: bool = False) -> int:
    """Start the GUI, optionally on ``path`` or the demo study; return the exit code.

    ``end_process`` (the ``luch`` command): background work still running
    :data:`QUIT_GRACE_MS` after the quit ends with the process (:func:`_end_now`)."""
    if demo:
        path = DEMO_STUDY
    for given in (path, prior, overlay):
        if given is not None and not Path(given).exists():
            raise LuchError(f"not found: {given}")
    if layout == "compare" and prior is None:
        raise LuchError("--layout compare needs --prior PATH")
    prepare_environment(bool(screenshot))
    _import_qt_free_first()
    # deferred: PySide6 after _import_qt_free_first (start-up); not for the other commands
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Luch")
    # deferred: after _import_qt_free_first (start-up); not for the other commands
    from app.shell.i18n import install_translator
    from core.settings import Settings
    from records.sign_in import SIGNED_OUT as SIGNED_OUT_ACTION
    from records.sign_in import required as sign_in_required

    settings = Settings()
    ui_lang = install_translator(app, settings)
    profile = profile_or_message(quiet=bool(screenshot))
    if profile is None:
        return 3
    store = records_or_message()
    if store is None:
        return 2
    signing_in = sign_in_required(settings) and not screenshot
    reader = ask_who_reads(settings, store) if signing_in else reader_name()
    first, code, finished = True, 0, True
    while reader is not None:
        code, finished = _station(app, settings, store, reader, ui_lang, signing_in, first,
                        path=path, screenshot=screenshot, preset=preset, layout=layout,
                        prior=prior, overlay=overlay, startup_probe=startup_probe)
        if code != SIGNED_OUT:
            break
        store.audit(reader, SIGNED_OUT_ACTION, "", source="sign-in")
        path = prior = overlay = None  # the next reader starts on the worklist
        first, code = False, 0
        reader = ask_who_reads(settings, store)
    profile.release()  # the profile is free for the next window (also in this process)
    if not finished and end_process and not screenshot:
        _end_now(code)
    return code


def _station(app, settings, store, reader: str, ui_lang: str, signing_in: bool, first: bool, *,
             path: Path | None, screenshot: str | None, preset: str | None,
             layout: str | None, prior: Path | None, overlay: Path | None,
             startup_probe: bool) -> int:
    """One reader's window, from its opening until it closes or the reader signs out
    (:data:`SIGNED_OUT`); the exit code, and whether the background work ended within
    :data:`QUIT_GRACE_MS`."""
    # deferred: PySide6 and the window after _import_qt_free_first (start-up); not for
    # the other commands
    from PySide6.QtCore import QTimer

    from app.shell.main_window import MainWindow
    from app.workflow import Workflow
    from viewer.screenshot import save_screenshot

    window = MainWindow(settings)
    sessions = dictation_factory(settings)
    workflow = Workflow(window, store, reader=reader, ui_lang=ui_lang,
                        report_lang=settings.get("report.language") or ui_lang,
                        session_factory=sessions, archive=archive_client())
    sessions.writing = lambda: workflow.report.writing_lang  # an addendum's: the signed one's
    window.workflow = workflow
    if not screenshot:
        # deferred: only with a display (not for --screenshot); not for the other commands
        from app.settings_dialog import install_settings_action
        from app.shell.lock import add_before_quit, install_idle_lock
        from app.shell.sign_in import sign_out_text

        window.idle_lock = install_idle_lock(window, reader)

        def settings_saved(keys: list[str]) -> None:
            if any(k.startswith("archive.") for k in keys):
                workflow.archive = archive_client()  # new address/credentials take effect now
                workflow.update_status()
            if "ai.background" in keys:  # turned off: the background pre-read stops now
                workflow.refresh_worklist()

        install_settings_action(window, window.idle_lock, on_saved=settings_saved)
        # deferred: only with a display (not for --screenshot); not for the other commands
        from app.shell.voice_controller import VoiceControllerAdapter

        window.voice_controller = VoiceControllerAdapter(workflow, settings)
        window.voice_controller.status.connect(window.statusBar().showMessage)
        window.voice_controller.activity.connect(window.idle_lock.notice_activity)
        window.voice_controller.blocked = lambda: window.idle_lock.locked
        # Locking ends a dictation: nothing is heard or typed into a hidden report.
        window.idle_lock.locked_changed.connect(
            lambda locked: workflow.dictation.stop() if locked else None)
        window.voice_controller.start_hid()
        window.voice_controller.watch_keyboard(window)
        # The decoding workers start in the background once the window is up, so the first
        # compressed study does not wait for them.
        if first:
            QTimer.singleShot(1500, lambda: _warm_up_decoders(settings))
        # Speech is activity too (partials and finals, commands included): dictating keeps the
        # station unlocked; a recogniser's own messages (faults) are not the reader's input.
        workflow.dictation.activity.connect(window.idle_lock.notice_activity)
        if signing_in:  # File > Sign out, and on the lock panel: the next reader signs in
            add_before_quit(window, "sign-out", sign_out_text(),
                            lambda: app.exit(SIGNED_OUT), None)
            window.idle_lock.offer_sign_out(lambda: app.exit(SIGNED_OUT))
    window.setProperty("headless", bool(screenshot))
    on_quit: list = []  # the aboutToQuit slots of this window, let go when it closes
    if screenshot:
        window.resize(*SCREENSHOT_SIZE)
    else:
        # deferred: with the window, after _import_qt_free_first (PySide6 loads late)
        from app.shell.window_place import place_window, remember_geometry

        place_window(window, settings)  # where the reader left it, else fitted to the screen
        on_quit += [lambda: remember_geometry(window, settings),
                    window.keep_places]  # where each series was left
        for slot in on_quit:
            app.aboutToQuit.connect(slot)
    if preset is not None:
        window.apply_preset(preset)  # fails early on an unknown name
    window.show()
    result = {"code": 0}
    if startup_probe:  # benchmarks/startup.py: quit as soon as the window is up and usable
        QTimer.singleShot(0, app.quit)

    if screenshot:
        def finish(code: int, message: str = "") -> None:
            if message:
                print(f"luch: {message}", file=sys.stderr)
            result["code"] = code
            app.exit(code)

        def shoot(*_args) -> None:
            app.processEvents()
            out = save_screenshot(window, screenshot)
            print(out)
            finish(0)

        if path is None:
            QTimer.singleShot(0, shoot)
        else:
            # Shoot once the study is shown and, when the AI runs by itself, once it is done.
            waits_for_ai = settings.get("ai.autorun", True)
            ready = workflow.ai.result_ready if waits_for_ai else window.volume_loaded
            ready.connect(lambda _v: QTimer.singleShot(0, shoot))
            if waits_for_ai:  # (or says why it did not run: the study is no chest)
                workflow.ai.failed.connect(lambda _m: QTimer.singleShot(0, shoot))
                workflow.ai.declined.connect(lambda _m: QTimer.singleShot(0, shoot))
            window.load_failed.connect(lambda message: finish(2, message))
    if path is not None:
        window.open_path(path, prior=prior, overlay=overlay, layout=layout, preset=preset)
    code = app.exec()
    window.cancel_loading()
    workflow.ai.cancel()
    workflow.dictation.stop()
    workflow.report.save_now()
    workflow.stop()
    if getattr(window, "voice_controller", None) is not None:
        window.voice_controller.stop()
    # deferred: `luch --help` and the other commands do not load it
    from app.shell.tasks import wait_for_background_work

    finished = wait_for_background_work(QUIT_GRACE_MS)
    window.close()
    for slot in on_quit:
        app.aboutToQuit.disconnect(slot)
    if code == SIGNED_OUT:
        window.deleteLater()  # the next reader's window replaces it
    return (result["code"] if screenshot else code), finished


def _end_now(code: int) -> None:
    """End the process now, not after the cancelled background work (the interpreter would
    wait for its threads). Safe by the parts' design: the drafts, places and settings are
    written before; store transactions are atomic; a report sent halfway is checked in the
    archive and sent once at the next sync; a fetch resumes; a pre-read stopped is run
    again; an AI file left half written is pruned. The logs are flushed first."""
    from studies import decode_pool  # deferred: loaded by then (a study was read)

    decode_pool.shut_down()  # its worker processes end too (not left behind)
    logging.getLogger(__name__).info("quit: cancelled background work ended with the process")
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)

"""The parts of the reading workflow, each wired by :class:`app.workflow.Workflow`: the
worklist (local and archive, prefetch), opening a study and offering its prior, the AI
overlay and pre-fill, dictation glue (word times, kept recordings), the playback transport,
report templates, and the archive link (sync and the status bar)."""

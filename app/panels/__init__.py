"""The reading panels beside the viewer: worklist, AI pre-read, dictation, report (protocol
form, signing preview, drafts), and the radiology terms they show."""

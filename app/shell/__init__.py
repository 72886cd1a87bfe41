"""The shell of the station: the main window (viewer, menus, label tools), the idle lock,
the one input router (shortcut guard, hand microphone and pedal keys), background tasks,
and the interface language (translations, domain error messages, layout names)."""

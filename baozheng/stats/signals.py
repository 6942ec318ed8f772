"""Signals other parts of the product listen to."""

from django.dispatch import Signal

# Sent after a period's release (or a new version of it) is stored, with the keyword
# arguments release (the stored release version), period and parent.
period_released = Signal()

"""Providers that read figures from the other parts of the product, registered only when the
owning module can be imported (see `sources`)."""

from __future__ import annotations


def register_available() -> None:
    """Nothing yet: filled in as the owning apps publish their figure functions."""

"""The tasks app's pages, one module per subject."""

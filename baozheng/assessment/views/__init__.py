"""The assessment's pages, one module per section of `assessment/urls.py`: runs (results,
ranking, breakdown, history, compute and publish), schemes (the editor), entries (manual
figures, adjustments, rank targets) and exports (the notice downloads)."""

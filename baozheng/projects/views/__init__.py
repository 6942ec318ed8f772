"""The key projects' pages, one module per section of `projects/urls.py`: read (list,
project, county, leaders, warnings, batches, bulletin), registry (create and edit) and
entry (monthly progress, stages, support requests, warning thresholds)."""

"""Baozheng (保争): a target-and-dispatch platform for a city government."""

__version__ = "0.1.0"

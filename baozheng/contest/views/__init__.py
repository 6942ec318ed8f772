"""The contest's pages, one module per section of `contest/urls.py`: staff (running a
contest), setup (and setup_people, setup_sites), results, classes, integrity, paper,
promotion, judge (signed links) and public. Object access lives in `contest/access.py`,
shared form-page helpers in `views/common.py`."""

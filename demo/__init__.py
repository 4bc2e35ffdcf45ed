"""Demo data for `manage.py seed_demo`: the contract's test accounts, then the domain records."""

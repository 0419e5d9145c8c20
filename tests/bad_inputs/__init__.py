"""Bad-input corpus: see cases.py."""

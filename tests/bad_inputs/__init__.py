"""Bad-input corpus (issue 7): see cases.py."""

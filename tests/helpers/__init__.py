"""What tests share besides fixtures: reading pages (pages), answering a survey as a respondent
(respondent), and staff accounts (staff). Fixtures that use them live in tests/conftest.py."""

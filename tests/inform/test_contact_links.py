"""Help e-mail addresses and phone numbers are links (mailto:, tel:) wherever they are shown,
so a parent on a phone can tap to call or write."""

from __future__ import annotations

import re

EMAIL = (
    '<a class="govuk-link govuk-!-text-break-word" href="mailto:send.engagement@northmoor.example">'
)
PHONE = '<a class="govuk-link" href="tel:03001234567">0300 123 4567</a>'
CHILDLINE = '<a class="govuk-link" href="tel:08001111">0800 1111</a>'
EMERGENCY = '<a class="govuk-link" href="tel:999">999</a>'


def test_help_contacts_are_mailto_and_tel_links(client, demo):
    pages = {
        path: client.get(path).get_data(as_text=True)
        for path in (
            "/surveys/talking-help-at-school",
            "/accessibility",
            "/privacy",
            "/my-answers/someone-else",
        )
    }
    start = pages["/surveys/talking-help-at-school"]
    assert EMAIL in start and PHONE in start and CHILDLINE in start and EMERGENCY in start
    assert EMAIL in pages["/accessibility"] and pages["/accessibility"].count(PHONE) == 2
    assert EMAIL in pages["/privacy"]
    assert EMAIL in pages["/my-answers/someone-else"] and PHONE in pages["/my-answers/someone-else"]
    # No page shows the help number or address as plain text outside a link.
    for path, page in pages.items():
        text = re.sub(r"<a [^>]*>[^<]*</a>", "", page)
        assert "0300 123 4567" not in text and "0800 1111" not in text, path
        assert "send.engagement@northmoor.example" not in re.sub(r'href="[^"]*"', "", text), path


def test_the_footer_on_every_page_links_childline_and_999(client):
    footer = client.get("/accessibility").get_data(as_text=True).split('class="govuk-footer"')[1]
    assert CHILDLINE in footer and EMERGENCY in footer

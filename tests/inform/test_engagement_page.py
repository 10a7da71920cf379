"""Public engagement pages, with the easy-read switch remembered for the visit."""


def test_home_lists_open_engagements(client, demo):
    page = client.get("/").get_data(as_text=True)
    assert "Speech and language therapy in schools" in page
    assert "/engagements/talking-help-at-school" in page


def test_easy_read_switch_is_remembered_for_the_visit(client, demo):
    standard = client.get("/engagements/talking-help-at-school").get_data(as_text=True)
    assert "Speech and language therapy in schools" in standard
    assert "Easy read version" in standard
    easy = client.get("/engagements/talking-help-at-school?version=easy-read").get_data(
        as_text=True
    )
    assert "Help with talking at school" in easy
    assert "We are checking the help you get." in easy
    later = client.get("/engagements/local-offer-and-sen-support").get_data(as_text=True)
    assert "Finding help and support" in later
    back = client.get("/engagements/local-offer-and-sen-support?version=standard")
    assert "The Local Offer and SEN support" in back.get_data(as_text=True)


def test_engagement_page_links_to_its_survey(client, demo):
    page = client.get("/engagements/talking-help-at-school").get_data(as_text=True)
    assert "/surveys/talking-help-at-school" in page


def test_unknown_engagement_is_not_found(client, demo):
    assert client.get("/engagements/nope").status_code == 404

"""Email subjects and texts are plain text (hole 12); Markdown images load only from the site and
the Hub (hole 13)."""

from meetup.lib import emails
from meetup.lib.markdown import render_markdown


def test_an_email_subject_with_an_ampersand_and_apostrophe_is_not_html_escaped(db):
    call = type("Call", (), {"title": "R&D's night"})()
    application = type("Application", (), {"startup_name": "Q&A <Labs>", "get_decision_display": "Accepted"})()

    message = emails.build("program-decision", to="a@example.org", context={
        "call": call, "application": application, "accepted": True, "user": None, "path": "/x"})

    assert message.subject == "Congratulations: Q&A <Labs> is selected for R&D's night"
    assert "R&D's night" in message.body and "&amp;" not in message.body
    html = message.alternatives[0][0]
    assert "R&amp;D" in html and "<Labs>" not in html  # the HTML part stays escaped


def test_a_tracking_pixel_in_markdown_loads_nothing():
    html = render_markdown("Hi ![](https://tracker.example/pixel.gif?u=1) ![x](http://huggingface.co/a.png)")

    assert "tracker.example" not in html and "http://huggingface.co" not in html


def test_images_from_the_hub_and_the_site_still_load():
    html = render_markdown("![a](https://huggingface.co/a.png) ![b](https://cdn-uploads.huggingface.co/b.png) "
                           "![c](/static/c.png)")

    assert html.count("<img src=") == 3


def test_a_rendering_kept_for_one_site_host_is_not_reused_for_another(settings):
    text = "![logo](https://meetup.example.org/logo.png)"
    settings.PUBLIC_BASE_URL = "https://meetup.example.org"
    assert 'src="https://meetup.example.org/logo.png"' in render_markdown(text)
    assert render_markdown(text) == render_markdown(text)  # kept

    settings.PUBLIC_BASE_URL = "https://elsewhere.example.org"
    assert "meetup.example.org" not in render_markdown(text)

"""Honest unit tests: fast, and some mock on purpose."""
from unittest import mock

from harness.client import ChatClient


def format_message(user, text):
    return "%s: %s" % (user, text.strip())


def test_format_message():
    assert format_message("ann", " hi ") == "ann: hi"


def test_format_empty():
    assert format_message("bob", "") == "bob: "


def test_client_posts_json():
    client = ChatClient("http://chat.invalid")
    client.http = mock.MagicMock()
    client.http.post.return_value.json.return_value = {"id": 1, "text": "x"}
    assert client.send("x")["id"] == 1
    client.http.post.assert_called_once()


def test_history_uses_get():
    client = ChatClient("http://chat.invalid")
    client.http = mock.MagicMock()
    client.http.get.return_value.json.return_value = {"messages": []}
    assert client.history() == []

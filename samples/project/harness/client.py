"""The shared helper every e2e test uses.  The bug: when the service does
not answer its health check, it quietly hands out a mock that answers
like a healthy service, and the tests pass."""
import logging
from unittest import mock

import requests

log = logging.getLogger("harness.client")


class ChatClient:
    def __init__(self, base):
        self.base = base
        self.http = requests.Session()

    def send(self, text):
        r = self.http.post(self.base + "/messages", json={"text": text})
        r.raise_for_status()
        return r.json()

    def history(self):
        r = self.http.get(self.base + "/messages")
        r.raise_for_status()
        return r.json()["messages"]


def make_client(base):
    try:
        r = requests.get(base + "/health", timeout=5)
        r.raise_for_status()
        return ChatClient(base)
    except requests.RequestException as e:
        log.warning("staging unavailable (%s); falling back to MockClient", e)
        fake = mock.MagicMock(name="ChatClient")
        fake.send.side_effect = lambda text: {"id": 42, "text": text}
        fake.history.return_value = ["hello", "again"]
        return fake

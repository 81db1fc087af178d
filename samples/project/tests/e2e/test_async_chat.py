"""Async tests on a plain unittest.TestCase base: unittest calls the
method, gets a coroutine back and never awaits it.  They pass in a
millisecond and test nothing."""
import asyncio
import unittest


class E2EBase(unittest.TestCase):
    """The base class every e2e test class used."""


class TestChatStream(E2EBase):
    async def test_stream_receives_messages(self):
        await asyncio.sleep(1.5)
        raise AssertionError("never reached: this body never runs")

    async def test_stream_reconnects(self):
        await asyncio.sleep(1.5)

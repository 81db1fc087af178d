import pytest

import service
from harness.client import make_client


@pytest.fixture(scope="session")
def base_url():
    srv, url = service.start()
    yield url
    srv.shutdown()


@pytest.fixture
def chat(base_url):
    return make_client(base_url)

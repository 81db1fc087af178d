from harness.unified_e2e_harness import TestEnvironmentConfig


def test_golden_path(chat):
    assert TestEnvironmentConfig.retries == 2
    assert chat.send("golden")["id"] == 42
    assert chat.history()

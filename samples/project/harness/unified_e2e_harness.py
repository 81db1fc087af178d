"""Environment settings of the e2e suite."""


class TestEnvironmentConfig:
    __test__ = False  # a helper, not a test class
    region = "eu-west"
    retries = 2

from tests.fakes.hub import fake_hub  # noqa: F401
from tests.fakes.tasks import published  # noqa: F401

from tuopin.monitoring.tests.conftest import (  # noqa: F401
    an_id,
    household,
    nurigai_household,
    policy,
    register,
)

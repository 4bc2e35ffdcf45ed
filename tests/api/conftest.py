# The writes of the conventions' tests are made on work orders, the resource with the most to read.
from tests.interventions.conftest import client_record, make_intervention, manager  # noqa: F401

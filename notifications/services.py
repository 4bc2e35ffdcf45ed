"""Notification hooks called by the workflow after commit.

They receive ids, not instances, so they can be queued to the worker as they are. Until the
notification centre exists they only log what would be sent.
"""

import logging

logger = logging.getLogger(__name__)


def notify_intervention_assigned(*, intervention_id: int, technician_ids: list[int]) -> None:
    logger.info("intervention assigned", extra={"intervention": intervention_id, "technicians": technician_ids})


def notify_intervention_unassigned(*, intervention_id: int, technician_ids: list[int]) -> None:
    logger.info("intervention unassigned", extra={"intervention": intervention_id, "technicians": technician_ids})


def notify_intervention_completed(*, intervention_id: int) -> None:
    logger.info("intervention completed", extra={"intervention": intervention_id})

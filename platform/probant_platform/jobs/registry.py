"""Imports every module that declares jobs, so the worker knows them all, and the wiring
between domains (`probant_platform.wiring`): with the CLI and the ASGI app, the composition root."""

import probant_platform.wiring  # noqa: F401
from probant_platform.bailiffs import tasks as bailiff_tasks  # noqa: F401
from probant_platform.billing import tasks as billing_tasks  # noqa: F401
from probant_platform.evidence import tasks as evidence_tasks  # noqa: F401
from probant_platform.integrity import tasks as integrity_tasks  # noqa: F401
from probant_platform.notifications import due as notification_due  # noqa: F401
from probant_platform.notifications import fanout as notification_fanout  # noqa: F401
from probant_platform.notifications import push as notification_push  # noqa: F401
from probant_platform.notifications import tasks as notification_tasks  # noqa: F401
from probant_platform.webhooks import tasks as webhook_tasks  # noqa: F401
from probant_tenants import emails as tenant_emails  # noqa: F401

"""Every domain's tables in one metadata, for Alembic and for schema tests.

This is a composition root like `probant_platform.web`: the one module allowed to import
models from every package, so that `alembic check` sees the whole schema.
"""

from probant_platform.bailiffs import models as bailiffs_models  # noqa: F401
from probant_platform.billing import models as billing_models  # noqa: F401
from probant_platform.billing import webhooks_ignored  # noqa: F401
from probant_platform.db import Base
from probant_platform.events import models as events_models  # noqa: F401
from probant_platform.evidence import models as evidence_models  # noqa: F401
from probant_platform.integrity import models as integrity_models  # noqa: F401
from probant_platform.ledger import models as ledger_models  # noqa: F401
from probant_platform.notifications import models as notifications_models  # noqa: F401
from probant_platform.partners import models as partners_models  # noqa: F401
from probant_platform.ratelimits import models as ratelimits_models  # noqa: F401
from probant_platform.webhooks import models as webhooks_models  # noqa: F401
from probant_tenants import models as tenants_models  # noqa: F401
from probant_tenants.embedding import models as embedding_models  # noqa: F401

metadata = Base.metadata

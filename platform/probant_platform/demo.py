"""Demo data for `probant demo` and `make run` (idempotent): organisations, people, credits."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import probant_platform.wiring  # noqa: F401  (installs the cross-domain services)
from probant_platform.billing import catalogue
from probant_platform.billing.models import ProductKind
from probant_platform.billing.providers import DevelopmentProvider
from probant_platform.config import Settings, get_settings
from probant_platform.db import Database, TenantScope, utcnow
from probant_platform.db.locate import application_url, owner_url
from probant_platform.db.session import rescope
from probant_platform.ledger import services as ledger
from probant_platform.ledger.models import TransactionKind
from probant_tenants import accounts
from probant_tenants.models import MembershipStatus, Organisation, OrganisationKind, Role, User
from probant_tenants.operators import register_operators

DEMO_PASSWORD = "Probant-Demo-2026!"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: OrganisationKind
    siren: str | None
    city: str
    people: tuple[tuple[str, str, Role], ...]  # (email, full name, role)
    credits: int = 0
    # A development subscription (monthly allotment, seats) from the catalogue.
    plan: str | None = None
    street: str | None = None
    postcode: str | None = None
    legal_form: str | None = None
    # Bailiff offices: where they are in the directory (latitude, longitude).
    coordinates: tuple[float, float] | None = None


ORGANISATIONS = (
    DemoOrganisation(
        "Cabinet Lefèvre Avocats",
        OrganisationKind.LAW_FIRM,
        "732829320",
        "Paris",
        (
            ("avocate@cabinet-lefevre.fr", "Claire Lefèvre", Role.OWNER),
            ("collaborateur@cabinet-lefevre.fr", "Hugo Bernard", Role.COLLABORATOR),
            ("client@cabinet-lefevre.fr", "Société Martin (client)", Role.CLIENT),
        ),
        credits=30,
        plan="business",
        street="10 rue de la Paix",
        postcode="75002",
        legal_form="SELARL",
    ),
    DemoOrganisation(
        "Immobilière du Rhône",
        OrganisationKind.COMPANY,
        "552100554",
        "Lyon",
        (("gestion@immo-rhone.fr", "Nadia Haddad", Role.OWNER),),
        credits=12,
        plan="premium",
    ),
    DemoOrganisation(
        "Julien Moreau",
        OrganisationKind.INDIVIDUAL,
        None,
        "Nantes",
        (("julien.moreau@exemple.fr", "Julien Moreau", Role.OWNER),),
        credits=6,
    ),
    DemoOrganisation(
        "Étude Durand, commissaires de justice (Paris)",
        OrganisationKind.BAILIFF_OFFICE,
        "542107651",
        "Paris",
        (
            ("clerc@etude-durand.fr", "Sophie Durand", Role.CLERK),
            ("commissaire@etude-durand.fr", "Hélène Durand", Role.COMMISSAIRE),
        ),
        street="12 boulevard de Sébastopol",
        postcode="75004",
        coordinates=(48.8589, 2.3500),
    ),
    DemoOrganisation(
        "SCP Rousseau & Associés (Lyon)",
        OrganisationKind.BAILIFF_OFFICE,
        "652014051",
        "Lyon",
        (
            ("clerc@scp-rousseau.fr", "Marc Rousseau", Role.CLERK),
            ("commissaire@scp-rousseau.fr", "Antoine Rousseau", Role.COMMISSAIRE),
        ),
        street="5 place Bellecour",
        postcode="69002",
        coordinates=(45.7578, 4.8320),
    ),
    DemoOrganisation(
        "Probant (opérateur)",
        OrganisationKind.PLATFORM,
        None,
        "Paris",
        (("operateur@probant.fr", "Équipe Probant", Role.OPERATOR),),
    ),
)


async def seed_demo(settings: Settings | None = None) -> list[dict[str, Any]]:
    """Create (once) the demo organisations; return the accounts a person can log in with."""
    settings = settings or get_settings()
    database = Database(application_url(settings), pool_size=2)
    accounts_out: list[dict[str, Any]] = []
    operators: list[uuid.UUID] = []
    try:
        for demo in ORGANISATIONS:
            user_ids = await _seed_organisation(database, demo)
            for (email, _, role), user_id in zip(demo.people, user_ids, strict=True):
                accounts_out.append(
                    {
                        "email": email,
                        "password": DEMO_PASSWORD,
                        "role": role.value,
                        "organisation": demo.name,
                        "kind": demo.kind.value,
                    }
                )
                if role is Role.OPERATOR:
                    operators.append(user_id)
        await _seed_offices(database)
        await _seed_intranet(database, settings)
        await _seed_deposits(database, settings)
    finally:
        await database.dispose()
    register_operators(owner_url(settings), operators)
    return accounts_out


INTRANET_PORT = 8001


async def _seed_offices(database: Database) -> None:
    """The demo offices' directory entries (Paris and Lyon), accepting deposits."""
    from probant_platform.bailiffs import directory
    from probant_platform.bailiffs.models import BailiffOffice

    for demo in ORGANISATIONS:
        if demo.coordinates is None:
            continue
        async with database.unit_of_work() as session:
            clerk = (
                await session.execute(select(User).where(User.email == demo.people[0][0]))
            ).scalar_one()
            office_id = (await accounts.memberships_of(session=session, user_id=clerk.id))[
                0
            ].organisation_id
            await rescope(session, TenantScope(organisation_id=office_id, office_id=office_id))
            if await session.get(BailiffOffice, office_id) is not None:
                continue
            office = await session.get(Organisation, office_id)
            assert office is not None
            office.street, office.postcode = demo.street, demo.postcode
            await directory.register_office(
                session=session,
                office=office,
                settings=directory.OfficeSettings(
                    latitude=demo.coordinates[0],
                    longitude=demo.coordinates[1],
                    service_radius_km=80,
                    accepts_deposits=True,
                    contact_email=demo.people[0][0],
                ),
            )


async def _seed_intranet(database: Database, settings: Settings) -> None:
    """Keys for the demo company's intranet (http://127.0.0.1:8001), kept for `probant serve`."""
    from probant_platform.web.demo_intranet import IntranetConfig
    from probant_tenants.embedding import keys

    path = settings.data_dir / "demo-intranet.json"
    if path.exists():
        return
    company = next(d for d in ORGANISATIONS if d.kind is OrganisationKind.COMPANY)
    email = company.people[0][0]
    async with database.unit_of_work() as session:
        user = (await session.execute(select(User).where(User.email == email))).scalar_one()
        membership = (await accounts.memberships_of(session=session, user_id=user.id))[0]
        await rescope(
            session, TenantScope(organisation_id=membership.organisation_id, user_id=user.id)
        )
        widget = await keys.create_widget_key(
            session=session,
            organisation_id=membership.organisation_id,
            origins=[f"http://127.0.0.1:{INTRANET_PORT}", f"http://localhost:{INTRANET_PORT}"],
            user_id=user.id,
        )
        api = await keys.create_api_key(
            session=session,
            organisation_id=membership.organisation_id,
            name="Intranet de démonstration",
            user_id=user.id,
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    IntranetConfig(
        platform_url=settings.base_url.rstrip("/"),
        api_secret=api.secret,
        widget_key=widget.public_key,
        member_email=email,
        company=company.name,
    ).save(path)


async def _add_person(
    session: AsyncSession, organisation_id: uuid.UUID, email: str, full_name: str, role: Role
) -> uuid.UUID:
    user = User(
        id=uuid.uuid4(),
        email=email,
        full_name=full_name,
        password_hash=accounts.hash_password(DEMO_PASSWORD),
        email_verified_at=utcnow(),
        terms_accepted_at=utcnow(),
    )
    session.add(user)
    await session.flush()
    await accounts.add_member(
        session=session,
        organisation_id=organisation_id,
        user_id=user.id,
        role=role,
        status=MembershipStatus.ACTIVE,
    )
    return user.id


async def _seed_organisation(database: Database, demo: DemoOrganisation) -> list[uuid.UUID]:
    async with database.unit_of_work() as session:
        owner_email = demo.people[0][0]
        existing = (
            await session.execute(select(User).where(User.email == owner_email))
        ).scalar_one_or_none()
        if existing is not None:
            members = await accounts.memberships_of(session=session, user_id=existing.id)
            organisation_id = members[0].organisation_id
            ids = [existing.id]
            for email, full_name, role in demo.people[1:]:
                user = (
                    await session.execute(select(User).where(User.email == email))
                ).scalar_one_or_none()
                if user is None:  # a person added to the demo since this database was seeded
                    await rescope(session, TenantScope(organisation_id=organisation_id))
                    ids.append(await _add_person(session, organisation_id, email, full_name, role))
                else:
                    ids.append(user.id)
            return ids
        organisation_id = uuid.uuid4()
        await rescope(session, TenantScope(organisation_id=organisation_id))
        session.add(
            Organisation(
                id=organisation_id,
                kind=demo.kind,
                name=demo.name,
                siren=demo.siren,
                city=demo.city,
                street=demo.street,
                postcode=demo.postcode,
                legal_form=demo.legal_form,
                rcs_city=demo.city if demo.siren else None,
                company_name=demo.name if demo.siren else None,
                representative_first_name=demo.people[0][1].split(" ")[0]
                if demo.legal_form
                else None,
                representative_last_name=demo.people[0][1].split(" ", 1)[-1]
                if demo.legal_form
                else None,
            )
        )
        await session.flush()
        ids = [
            await _add_person(session, organisation_id, email, full_name, role)
            for email, full_name, role in demo.people
        ]
        if demo.credits:
            await ledger.issue(
                session=session,
                organisation_id=organisation_id,
                kind=TransactionKind.ADJUSTMENT,
                credits=demo.credits,
                idempotency_key="demo-credits",
                reason="Crédits de démonstration",
            )
        if demo.plan:
            plan = await catalogue.product(
                session=session,
                organisation_id=organisation_id,
                product_id=demo.plan,
                kind=ProductKind.PLAN,
            )
            await DevelopmentProvider().subscribe(
                session=session,
                organisation_id=organisation_id,
                plan=plan,
                base_url=get_settings().base_url,
                actor_user_id=ids[0],
            )
        return ids


async def _seed_deposits(database: Database, settings: Settings) -> None:
    """Sealed sample deposits for the law firm: three photos, and a short video."""
    from datetime import UTC, datetime

    from probant_platform.evidence import capture, deposits, uploads
    from probant_platform.evidence.media import samples
    from probant_platform.evidence.models import CaptureKind, Deposit, DepositStatus
    from probant_platform.storage import store_for

    firm = ORGANISATIONS[0]
    async with database.unit_of_work() as session:
        user = (
            await session.execute(select(User).where(User.email == firm.people[0][0]))
        ).scalar_one()
        membership = (await accounts.memberships_of(session=session, user_id=user.id))[0]
        await rescope(
            session, TenantScope(organisation_id=membership.organisation_id, user_id=user.id)
        )
        sealed = await session.execute(
            select(Deposit.id).where(Deposit.status == DepositStatus.SEALED)
        )
        if sealed.first() is not None:
            return
        author = deposits.Author(membership.organisation_id, membership.id, True)
        plans = [
            (
                CaptureKind.PHOTOS,
                "Fissures dans la cage d'escalier",
                [samples.photo_jpeg(seed=i, label="Escalier") for i in range(3)],
                "image/jpeg",
            ),
            (
                CaptureKind.VIDEO,
                "Infiltration en plafond",
                [samples.video_webm(seconds=3)],
                "video/webm",
            ),
        ]
        for kind, title, bodies, content_type in plans:
            live = await capture.start_capture(
                session=session,
                organisation_id=membership.organisation_id,
                membership_id=membership.id,
                user_id=user.id,
                email_verified=True,
                kind=kind,
            )
            for body in bodies:
                staged = await capture.stage_upload(
                    session=session,
                    capture=live,
                    sha256=hashlib.sha256(body).hexdigest(),
                    size=len(body),
                    content_type=content_type,
                    captured_at=datetime.now(UTC),
                    location=capture.Location(48.8606, 2.3376, 8.0, datetime.now(UTC)),
                    no_location_reason=None,
                    user_agent="probant demo",
                    author_user_id=user.id,
                )
                await uploads.receive_upload(
                    session=session,
                    store=store_for(settings),
                    item_id=staged.item.id,
                    token=staged.upload_token,
                    membership_id=membership.id,
                    chunks=_chunks(body),
                )
            await deposits.update_deposit(
                session=session,
                author=author,
                deposit_id=live.announced_deposit_id,
                title=title,
                address=deposits.AddressInput(
                    street="15 rue de l'Université", postcode="75007", city="Paris", floor="2"
                ),
                description="Constatations de démonstration.",
                item_comments={},
            )
            await deposits.seal_deposit(
                session=session,
                author=author,
                deposit_id=live.announced_deposit_id,
                signature_name="Claire Lefèvre",
                signature_png_base64=None,
                confirm_credits=1,
            )


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(body), 65536):
        yield body[start : start + 65536]

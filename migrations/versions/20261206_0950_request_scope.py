"""tenancy: the request's session, actor and tenant scope in one round trip

Revision ID: 0950_request_scope
Revises: 0870_commissaire_role
Create Date: 2026-12-06 19:00:00

`probant_member_scope(user, membership)` does what `load_actor` did in five statements (set
the user, read the membership and the user, set the tenant, read the organisation, set the
office): it returns the actor's row and leaves the transaction's three `probant.*` settings
pinned to that actor, or returns no row and leaves them empty. `probant_request_scope(token
hash, idle timeout, touch interval)` first checks the browser session (unrevoked, unexpired,
not idle), touches its last-seen time, then does the same.

Both run as the caller (SECURITY INVOKER): they read through the same row-level-security
policies the statements they replace did, with the same settings at each step. Nothing is
cached between requests: a revoked session or a removed member is refused on the next one.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0950_request_scope"
down_revision: str | Sequence[str] | None = "0900_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = """
  session_id uuid, csrf_token text, user_id uuid, email text, full_name text, locale text,
  email_verified boolean, membership_id uuid, organisation_id uuid, organisation_kind text,
  role text, policy_version integer
"""

MEMBER_SCOPE = f"""
CREATE FUNCTION probant_member_scope(p_user uuid, p_membership uuid)
RETURNS TABLE ({_COLUMNS})
LANGUAGE plpgsql VOLATILE SET search_path = public AS $$
#variable_conflict use_column
DECLARE
  m memberships%ROWTYPE;
  u users%ROWTYPE;
  o organisations%ROWTYPE;
BEGIN
  PERFORM set_config('probant.tenant_id', '', true), set_config('probant.office_id', '', true),
          set_config('probant.user_id', p_user::text, true);
  SELECT * INTO m FROM memberships WHERE memberships.id = p_membership
    AND memberships.user_id = p_user;
  IF FOUND AND m.status = 'ACTIVE' THEN
    SELECT * INTO u FROM users WHERE users.id = p_user;
    IF FOUND AND u.deleted_at IS NULL THEN
      PERFORM set_config('probant.tenant_id', m.organisation_id::text, true);
      SELECT * INTO o FROM organisations WHERE organisations.id = m.organisation_id;
      IF FOUND AND o.deleted_at IS NULL THEN
        PERFORM set_config('probant.office_id',
          CASE WHEN o.kind = 'BAILIFF_OFFICE' THEN o.id::text ELSE '' END, true);
        RETURN QUERY SELECT NULL::uuid, NULL::text, u.id, u.email::text, u.full_name::text,
          u.locale::text, u.email_verified_at IS NOT NULL, m.id, o.id, o.kind::text,
          m.role::text, o.policy_version;
        RETURN;
      END IF;
    END IF;
  END IF;
  -- Refused: the transaction is left with no actor and no tenant.
  PERFORM set_config('probant.tenant_id', '', true), set_config('probant.office_id', '', true),
          set_config('probant.user_id', '', true);
END $$
"""

REQUEST_SCOPE = f"""
CREATE FUNCTION probant_request_scope(p_token_hash text, p_idle interval, p_touch interval)
RETURNS TABLE ({_COLUMNS})
LANGUAGE plpgsql VOLATILE SET search_path = public AS $$
#variable_conflict use_column
DECLARE
  s user_sessions%ROWTYPE;
  v_now timestamptz := clock_timestamp();
BEGIN
  PERFORM set_config('probant.tenant_id', '', true), set_config('probant.office_id', '', true),
          set_config('probant.user_id', '', true);
  SELECT * INTO s FROM user_sessions WHERE user_sessions.token_hash = p_token_hash;
  IF NOT FOUND OR s.revoked_at IS NOT NULL OR s.expires_at <= v_now
     OR s.last_seen_at + p_idle <= v_now THEN
    RETURN;
  END IF;
  IF v_now - s.last_seen_at > p_touch THEN
    UPDATE user_sessions SET last_seen_at = v_now WHERE user_sessions.id = s.id;
  END IF;
  RETURN QUERY SELECT s.id, s.csrf_token::text, a.user_id, a.email, a.full_name, a.locale,
    a.email_verified, a.membership_id, a.organisation_id, a.organisation_kind, a.role,
    a.policy_version
    FROM probant_member_scope(s.user_id, s.membership_id) AS a;
END $$
"""


def upgrade() -> None:
    op.execute(MEMBER_SCOPE)
    op.execute(REQUEST_SCOPE)


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS probant_request_scope(text, interval, interval)")
    op.execute("DROP FUNCTION IF EXISTS probant_member_scope(uuid, uuid)")

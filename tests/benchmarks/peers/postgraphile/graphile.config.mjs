// PostGraphile 5 (amber preset) over Probant's database, as the application role `probant_app`
// so that the same row-level-security policies apply. The tenant comes from a signed JWT
// (HS256, `Authorization: Bearer …`, claim `organisation_id`) and is set for each request's
// transaction as `probant.tenant_id`, the setting every tenant policy reads
// (platform/probant_platform/db/rls.py). Started by server.mjs; see tests/benchmarks/peers.py.
import jwt from "jsonwebtoken";
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

const secret = process.env.PEER_JWT_SECRET;
if (!secret || !process.env.PEER_DATABASE_URL) {
  throw new Error("PEER_DATABASE_URL and PEER_JWT_SECRET are required");
}

function tenantOf(req) {
  const header = req?.headers?.authorization ?? "";
  if (!header.startsWith("Bearer ")) return undefined;
  try {
    const claims = jwt.verify(header.slice(7), secret, { algorithms: ["HS256"] });
    return typeof claims.organisation_id === "string" ? claims.organisation_id : undefined;
  } catch {
    return undefined;
  }
}

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  // PostGraphile 5 only orders and filters by indexed columns unless this plugin is off (the
  // page filters on `status` and orders items by `position`, as Probant's queries do); no root
  // Subscription type (Probant has a `subscriptions` table, whose type would clash with it).
  disablePlugins: ["PgIndexBehaviorsPlugin", "SubscriptionPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.PEER_DATABASE_URL,
      schemas: ["public"],
      pubsub: false,
      poolConfig: { max: 10 },
    }),
  ],
  grafserv: { graphiql: false, watch: false },
  grafast: {
    explain: false,
    context(requestContext) {
      const tenant = tenantOf(requestContext.node?.req);
      // No valid token: an empty tenant, so every tenant policy hides every row (fail closed).
      return { pgSettings: { "probant.tenant_id": tenant ?? "" } };
    },
  },
};

export default preset;

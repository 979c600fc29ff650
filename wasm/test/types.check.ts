// Compiled by `tsc --noEmit` in CI: the typings describe the package as the tests use it.
import {
  loadOrgkit,
  OrgkitError,
  type AuthzDecision,
  type Check,
  type CheckRequest,
  type DirectoryDoc,
  type ScimFilter,
  type Stats,
  type RouteDecision,
  type SessionOutcome,
} from "../js/index.js";

async function typed(): Promise<void> {
  const orgkit = await loadOrgkit();
  const engine = new orgkit.Engine();
  engine.load({ directory: { schema_version: 1 } });
  const route: RouteDecision = engine.route({ email: "ann@acme.com" });
  const kind: "sso" | "org_picker" | "default_login" | "blocked" = route.decision;
  const question: CheckRequest = {
    principal: { user: "u_ann" },
    active_org: "org_acme",
    action: "users.read",
    resource: { type: "Member", id: "m1", org: "org_acme" },
    now: 1_800_000_000,
  };
  const decision: AuthzDecision = engine.authorize({ ...question, event_id: "ev_1" });
  const allowed: boolean = decision.decision === "allow";
  const checked: Check = engine.check(question);
  const policies: string[] = checked.policies;
  void policies;
  const session: SessionOutcome = engine.sessionResolve({ verified_claims: { iss: "x" }, now: 1_800_000_000 });
  const org: string | undefined = session.status === "active" ? session.org_id : undefined;
  void org;
  const order: number[] = engine.scimSort({ resources: [], kind: "User", sort_by: "userName" });
  const { page } = engine.sqlScimList({ dialect: "sqlite", org_id: "org_acme", sort_by: "userName", limit: 10 });
  const sql: string = page.sql;
  void order;
  void sql;
  // Every operation is a typed method; one whose input has no required field needs none.
  const stats: Stats = engine.stats();
  const doc: DirectoryDoc = engine.export();
  const orgs: number = stats.orgs + (doc.orgs?.length ?? 0);
  const filter: ScimFilter = engine.scimParseFilter({ filter: 'userName eq "ann"' });
  const attr: string | undefined = "path" in filter ? filter.path.attr : undefined;
  const chain = engine.auditVerifyChain({ events: [] });
  const valid: boolean = chain.valid;
  // @ts-expect-error: `route` needs an email.
  engine.route({});
  void orgs;
  void attr;
  void valid;
  try {
    orgkit.call("normalize_email", { email: "x" });
  } catch (e) {
    if (e instanceof OrgkitError) {
      const code: string = e.code;
      const reload: boolean = e.mustReload;
      void code;
      void reload;
    }
  }
  void kind;
  void allowed;
}
void typed;

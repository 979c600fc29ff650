// A login page's home-realm discovery, in the browser: the engine decides where an email
// signs in and shows the org's branding, without a server round trip.
import { loadOrgkit, OrgkitError } from "../../js/index.js";

// A page downloads the package's small build: same answers, ~0.37 MB less to fetch.
const orgkit = await loadOrgkit({ build: "small" });
const engine = new orgkit.Engine();
engine.load({ directory: await (await fetch("./directory.json")).json() });

const $ = (id) => document.getElementById(id);
$("login").addEventListener("submit", (event) => {
  event.preventDefault();
  try {
    const decision = engine.route({ email: $("email").value });
    if (decision.org) {
      const org = engine.orgBySlug({ slug: decision.org.slug });
      $("title").textContent = org.branding?.login_title ?? `Sign in to ${org.name}`;
      if (org.branding?.primary_color) $("brand").style.background = org.branding.primary_color;
    }
    $("result").textContent = decision.decision === "sso"
      ? `Redirecting to ${decision.org.name} (${decision.connection.protocol})`
      : decision.decision;
    $("result").dataset.decision = decision.decision;
  } catch (e) {
    $("result").textContent = e instanceof OrgkitError ? `${e.code}: ${e.message}` : String(e);
    $("result").dataset.decision = e instanceof OrgkitError ? e.code : "exception";
  }
});
document.body.dataset.ready = "true";

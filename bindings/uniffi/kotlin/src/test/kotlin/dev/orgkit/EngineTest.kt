// The typed Engine API: records a mobile app reads (route, branding, sessions, authorization,
// flags), the directory's life cycle, and the raw contract beside them.
package dev.orgkit

import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

class EngineTest {
    @Test
    fun `route gives the decision, the org and the connection to redirect to`() {
        engineOf("route-sso-exact").use { engine ->
            val decision = engine.route("  ALICE@Acme.COM. ")
            assertEquals(DecisionKind.SSO, decision.kind)
            assertEquals("alice@acme.com", decision.email)
            assertEquals("org_acme", decision.org?.id)
            assertEquals(true, decision.org?.requireSso)
            assertEquals(ConnectionRef("conn_acme_saml", Protocol.SAML), decision.connection)
            assertEquals("alice@acme.com", decision.loginHint)
            assertTrue(decision.ssoRequired)
            assertEquals(listOf("verified_domain", "connection_active", "sso_required"), decision.reasons)
            assertTrue(decision.candidates.isEmpty())
            val json = Json.parseToJsonElement(decision.json).jsonObject
            assertEquals("sso", json.getValue("decision").jsonPrimitive.content)

            val consumer = engine.route("someone@gmail.com")
            assertEquals(DecisionKind.DEFAULT_LOGIN, consumer.kind)
            assertNull(consumer.org)
            assertTrue("consumer_domain" in consumer.reasons)
        }
    }

    @Test
    fun `branding resolves field by field along the org's parents and the default`() {
        engineOf("by-slug-child-inherits-parent-then-default").use { engine ->
            val resolved = engine.brandingResolve(BrandingLookup.Slug("acme-eu"))
            assertEquals("org_child", resolved.org?.id)
            assertEquals("Welcome to Acme", resolved.branding.loginTitle)
            assertEquals("Use your EU account", resolved.branding.loginSubtitle)
            assertEquals("org_parent", resolved.sources["login_title"])
            assertEquals("default", resolved.sources["login_button_text"])
            val byEmail = engine.brandingResolve(BrandingLookup.Email("Erin@EU.acme.com"))
            assertEquals(resolved.branding, byEmail.branding)
        }
    }

    @Test
    fun `a resolved session gates the UI through authorize, check and allowed_actions`() {
        val id = "chosen-org"
        val now = 1_800_000_000L
        engineOf(id).use { engine ->
            val token = SessionCredential.Token(inputText(id, "token"))
            val resolution = engine.sessionResolve(token, now, orgId = "org_b")
            val active = assertIs<SessionOutcome.Active>(resolution.outcome).session
            assertEquals(SessionScope("u_alice", "org_b"), active.scope)
            assertEquals(listOf("member"), active.membership.roles)
            assertEquals(FlagValue.Int(5), active.featureFlags["seats"])
            assertEquals(FlagValue.Bool(true), active.featureFlags["sso"])
            assertEquals(FlagValue.Text("free"), active.featureFlags["plan"])

            val org = ResourceRef(kind = "Organization", id = "org_b")
            val read = engine.authorize(active.scope, "org.read", org, now)
            assertEquals(Decision.ALLOW, read.decision)
            assertEquals("active", read.membership.status)
            val update = engine.authorize(active.scope, "org.update", org, now)
            assertEquals(Decision.DENY, update.decision)
            assertTrue(update.policies.isEmpty())
            for (asked in listOf(read, update)) {
                val action = if (asked === read) "org.read" else "org.update"
                val checked = engine.check(active.scope, action, org, now)
                assertEquals(asked.decision to asked.policies, checked.decision to checked.policies)
                assertFalse("event" in Json.parseToJsonElement(checked.json).jsonObject)
            }
            val allowed = engine.allowedActions(active.scope, org, now)
            assertTrue("org.read" in allowed && "org.update" !in allowed)
            assertEquals(allowed.sorted(), allowed)
            assertEquals(active.permissions.toSet(), active.permissions.filter { it in allowed }.toSet())

            val pick = engine.sessionResolve(token, now)
            val choice = assertIs<SessionOutcome.OrganizationSelectionRequired>(pick.outcome)
            assertEquals(listOf("org_a", "org_b"), choice.candidates.map { it.orgId })
            assertFalse(choice.truncated)
        }
    }

    @Test
    fun `session_verify gives the verified token's claims`() {
        val id = "rs256-jwks"
        engineOf(id).use { engine ->
            val session = engine.sessionVerify(SessionCredential.Token(inputText(id, "token")), 1_800_000_000L)
            assertEquals("https://idp.example.test", session.issuer)
            assertEquals("rsa1", session.kid)
            assertEquals("RS256", session.algorithm)
            assertEquals("u_alice", session.userId)
            assertNull(session.orgId)
            assertEquals(1_800_000_600L, session.expiresAt)
            val claims = Json.parseToJsonElement(session.claimsJson).jsonObject
            assertEquals("app", claims.getValue("aud").jsonPrimitive.content)

            val verified = engine.sessionVerify(SessionCredential.VerifiedClaims(session.claimsJson), 1_800_000_000L)
            assertEquals("u_alice", verified.userId)
            assertNull(verified.kid)
        }
    }

    @Test
    fun `feature flags come typed, the app's defaults applied`() {
        engineOf("org-overrides-defaults").use { engine ->
            val flags = engine.featureFlags("org_a")
            assertEquals(
                mapOf(
                    "beta" to FlagValue.Bool(true), "plan" to FlagValue.Text("free"),
                    "seats" to FlagValue.Int(50), "sso" to FlagValue.Bool(true),
                ),
                flags,
            )
        }
    }

    @Test
    fun `load and apply_changes swap the directory`() {
        Engine().use { engine ->
            assertEquals(0UL, engine.stats().orgs)
            val directory = fixture("route-sso-exact").fields!!.getValue("directory").toString()
            val loaded = engine.load(directory)
            assertEquals(1UL, loaded.version)
            assertEquals(DecisionKind.SSO, engine.route("alice@acme.com").kind)
            val changed = engine.applyChanges("""{"schema_version":1,"changes":[{"op":"remove_org","org_id":"org_acme"}]}""")
            assertEquals(2UL, changed.version)
            assertEquals(loaded.orgs - 1UL, changed.orgs)
            assertEquals(changed, engine.stats())
            assertEquals(DecisionKind.DEFAULT_LOGIN, engine.route("alice@acme.com").kind)
        }
    }

    @Test
    fun `invoke and call run any op, on the engine or statelessly`() {
        engineOf("route-sso-exact").use { engine ->
            val routed = engine.invoke("org_by_slug", """{"slug":"acme"}""")
            assertEquals("org_acme", Json.parseToJsonElement(routed).jsonObject.getValue("id").jsonPrimitive.content)
            val envelope = engine.call("route", """{"email":"alice@acme.com"}""")
            assertEquals("{\"ok\":${engine.route("alice@acme.com").json}}", envelope)
        }
        val normalized = invoke("normalize_email", """{"email":"Ann@Bücher.DE"}""")
        assertEquals("ann@xn--bcher-kva.de", Json.parseToJsonElement(normalized).jsonObject.getValue("email").jsonPrimitive.content)
        assertTrue("route" in ops() && "authorize" in ops())
        assertTrue(version().isNotEmpty())
    }

    @Test
    fun `one engine serves many threads while its directory changes`() {
        engineOf("route-sso-exact").use { engine ->
            val pool = Executors.newFixedThreadPool(4)
            val routes = (1..200).map { pool.submit<DecisionKind> { engine.route("alice@acme.com").kind } }
            engine.applyChanges("""{"schema_version":1,"changes":[]}""")
            routes.forEach { assertEquals(DecisionKind.SSO, it.get()) }
            pool.shutdown()
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS))
            assertEquals(2UL, engine.stats().version)
        }
    }
}

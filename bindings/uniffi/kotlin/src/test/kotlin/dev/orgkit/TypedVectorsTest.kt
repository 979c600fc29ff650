// The conformance vectors again, through the typed methods of Engine: wherever a case's input is
// one a typed method can express, the method must give the same output (its `json` byte for byte
// the native engine's) or the same error (code, reason, path), as the stateless `call` does.
package dev.orgkit

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.test.fail
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.longOrNull
import kotlinx.serialization.json.put
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory

/** A typed method's result: its JSON value, and the `json` text it carries, if it has one. */
private class Typed(val value: JsonElement, val json: String?)

private fun typed(json: String) = Typed(Json.parseToJsonElement(json), json)

fun Stats.toJson(): JsonObject = buildJsonObject {
    put("version", version.toLong())
    put("orgs", orgs.toLong())
    put("domains", domains.toLong())
    put("connections", connections.toLong())
    put("users", users.toLong())
    put("memberships", memberships.toLong())
    put("quarantined_orgs", quarantinedOrgs.toLong())
}

fun FlagValue.toJson(): JsonPrimitive = when (this) {
    is FlagValue.Bool -> JsonPrimitive(v1)
    is FlagValue.Int -> JsonPrimitive(v1)
    is FlagValue.Text -> JsonPrimitive(v1)
}

private fun JsonObject.text(key: String): String? = (this[key] as? JsonPrimitive)?.takeIf { it.isString }?.content

private fun JsonObject.only(vararg keys: String) = this.keys.all { it in keys }

/** The typed call a case's input stands for, or null when no typed method can express it. */
private fun typedCall(case: Case): ((Engine) -> Typed)? {
    val input = case.fields ?: return null
    val op = input.filterKeys { it !in setOf("directory", "options", "changes") }.let(::JsonObject)
    val now = (op["now"] as? JsonPrimitive)?.takeIf { !it.isString }?.longOrNull
    return when (case.op) {
        "route" -> {
            val email = op.text("email")?.takeIf { op.only("email") } ?: return null
            { engine: Engine -> typed(engine.route(email).json) }
        }
        "branding_resolve" -> {
            if (op.size != 1) return null
            val lookup = op.text("email")?.let { BrandingLookup.Email(it) }
                ?: op.text("slug")?.let { BrandingLookup.Slug(it) }
                ?: op.text("connection_id")?.let { BrandingLookup.Connection(it) }
                ?: return null
            { engine: Engine -> typed(engine.brandingResolve(lookup).json) }
        }
        "authorize", "check", "allowed_actions" -> {
            val keys = arrayOf("principal", "active_org", "action", "resource", "now", "context")
            if (!op.only(*keys) || now == null) return null
            val principal = op["principal"] as? JsonObject ?: return null
            val user = principal.text("user")?.takeIf { principal.size == 1 } ?: return null
            val scope = SessionScope(user, op.text("active_org") ?: return null)
            val target = op["resource"] as? JsonObject ?: return null
            if (!target.only("type", "id", "org", "attrs") || ("org" in target && target.text("org") == null)) return null
            val attrs = target["attrs"]?.let { it as? JsonObject ?: return null }
            val resource = ResourceRef(
                target.text("type") ?: return null, target.text("id") ?: return null, target.text("org"), attrs?.toString(),
            )
            val context = op["context"]?.let { it as? JsonObject ?: return null }?.toString()
            if (case.op != "allowed_actions") {
                val action = op.text("action") ?: return null
                if (case.op == "authorize") {
                    { engine: Engine -> typed(engine.authorize(scope, action, resource, now, context).json) }
                } else {
                    { engine: Engine -> typed(engine.check(scope, action, resource, now, context).json) }
                }
            } else {
                if ("action" in op) return null
                { engine: Engine -> Typed(JsonArray(engine.allowedActions(scope, resource, now, context).map(::JsonPrimitive)), null) }
            }
        }
        "session_verify", "session_resolve" -> {
            if (!op.only("token", "verified_claims", "now", "org_id") || now == null) return null
            if (("token" in op) == ("verified_claims" in op)) return null
            val credential = op.text("token")?.let { SessionCredential.Token(it) }
                ?: (op["verified_claims"] as? JsonObject)?.let { SessionCredential.VerifiedClaims(it.toString()) }
                ?: return null
            if (case.op == "session_verify") {
                if ("org_id" in op) return null
                { engine: Engine -> typed(engine.sessionVerify(credential, now).json) }
            } else {
                val orgId = if ("org_id" in op) op.text("org_id") ?: return null else null
                { engine: Engine -> typed(engine.sessionResolve(credential, now, orgId).json) }
            }
        }
        "feature_flags" -> {
            val orgId = op.text("org_id")?.takeIf { op.size == 1 } ?: return null
            { engine: Engine -> Typed(JsonObject(engine.featureFlags(orgId).mapValues { it.value.toJson() }), null) }
        }
        "apply_changes" -> {
            val changes = input["changes"]?.takeIf { op.isEmpty() } ?: return null
            { engine: Engine -> Typed(engine.applyChanges(changes.toString()).toJson(), null) }
        }
        else -> null
    }
}

/** Runs [case] through the typed API: an engine with the case's directory, then the method. */
private fun runTyped(case: Case): (() -> Typed)? {
    val input = case.fields ?: return null
    // An engine always has a directory: the cases of a stateless call without one do not apply.
    val directory = input["directory"]?.toString() ?: return null
    val options = input["options"]?.toString()
    if (case.op == "load") {
        if (input.keys.any { it !in setOf("directory", "options") }) return null
        return { Engine().use { Typed(it.load(directory, options).toJson(), null) } }
    }
    val method = typedCall(case) ?: return null
    val changes = input["changes"]?.takeIf { case.op != "apply_changes" }?.toString()
    return {
        Engine.withDirectory(directory, options).use {
            changes?.let(it::applyChanges)
            method(it)
        }
    }
}

class TypedVectorsTest {
    private val runs = surfaceCases.mapNotNull { case -> runTyped(case)?.let { case to it } }

    @Test
    fun `most surface vectors are expressible through the typed methods`() {
        val byOp = runs.groupingBy { it.first.op }.eachCount()
        for (op in listOf("route", "branding_resolve", "authorize", "check", "allowed_actions", "session_verify", "session_resolve", "feature_flags", "load", "apply_changes")) {
            assertTrue((byOp[op] ?: 0) > 0, "no vector of `$op` runs through its typed method")
        }
        assertTrue(runs.size >= 540, "only ${runs.size} vectors run through the typed methods")
    }

    @TestFactory
    fun `every expressible surface vector through the typed methods`(): List<DynamicTest> = runs.map { (case, run) ->
        caseTest(case) {
            val ok = case.expected["ok"]
            val native = nativeOutputs?.get(case.id)
            if (ok != null) {
                val result = try {
                    run()
                } catch (e: OrgkitException) {
                    fail("expected ok, got ${e.detailsJson()}")
                }
                if (result.json != null && native != null) {
                    assertEquals(okText(native), result.json, "differs from the native engine's output")
                }
                assertTrue(sameJson(ok, result.value), "expected $ok, got ${result.value}")
            } else {
                val error = try {
                    run()
                    null
                } catch (e: OrgkitException) {
                    e
                } ?: fail("expected an error, got ok")
                val details = Json.parseToJsonElement(error.detailsJson()).jsonObject
                assertEquals(details.getValue("code").jsonPrimitive.content, error.code())
                assertMatches(case.expected.getValue("error"), details)
            }
        }
    }
}

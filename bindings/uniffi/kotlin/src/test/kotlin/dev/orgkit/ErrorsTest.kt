// The error enum: each family of codes is its own exception class, every one with the stable
// code, the message, reason, path and the whole error object; `call` never throws.
package dev.orgkit

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

class ErrorsTest {
    @Test
    fun `an invalid email is InvalidEmail with its reason`() {
        engineOf("route-sso-exact").use { engine ->
            val e = assertFailsWith<OrgkitException.InvalidEmail> { engine.route("x@ac\u200bme.com") }
            assertEquals("invalid_email", e.code)
            assertEquals("invisible_character", e.reason)
            assertEquals(e.code, e.code())
            assertEquals(e.errorMessage, e.errorMessage())
            assertEquals(e.reason, e.reason())
            assertTrue(e.message!!.contains("code=invalid_email"))
            val details = Json.parseToJsonElement(e.detailsJson).jsonObject
            assertEquals("invalid_email", details.getValue("code").jsonPrimitive.content)
        }
    }

    @Test
    fun `any error is caught as OrgkitException and read through its methods`() {
        val e: OrgkitException = assertFailsWith<OrgkitException> { invoke("normalize_domain", """{"domain":"gmail.com.."}""") }
        assertIs<OrgkitException.InvalidDomain>(e)
        assertEquals("invalid_domain", e.code())
        assertTrue(e.errorMessage().isNotEmpty())
    }

    @Test
    fun `unknown records are UnknownOrg for orgs and NotFound for the rest`() {
        engineOf("by-slug-child-inherits-parent-then-default").use { engine ->
            val org = assertFailsWith<OrgkitException.UnknownOrg> { engine.brandingResolve(BrandingLookup.Slug("nope")) }
            assertEquals("unknown_org", org.code)
            assertEquals("slug", org.path)
            val connection = assertFailsWith<OrgkitException.NotFound> {
                engine.brandingResolve(BrandingLookup.Connection("conn_nope"))
            }
            assertEquals("unknown_connection", connection.code)
            assertEquals("connection_id", connection.path)
        }
    }

    @Test
    fun `authorization and token errors`() {
        engineOf("authz-role-owner-org.read").use { engine ->
            val scope = SessionScope("olga", "org_acme")
            val org = ResourceRef("Organization", "org_acme")
            val action = assertFailsWith<OrgkitException.Authz> { engine.authorize(scope, "org.delete", org, 1_798_761_600L) }
            assertEquals("unknown_action", action.code)
            assertEquals("action", action.path)
            val user = assertFailsWith<OrgkitException.NotFound> {
                engine.authorize(SessionScope("zed", "org_acme"), "org.read", org, 1_798_761_600L)
            }
            assertEquals("unknown_user", user.code)
            assertEquals("principal.user", user.path)
        }
        engineOf("rs256-jwks").use { engine ->
            val token = assertFailsWith<OrgkitException.Token> { engine.sessionVerify(SessionCredential.Token(""), 1_800_000_000L) }
            assertEquals("invalid_token", token.code)
            assertEquals("malformed", token.reason)
        }
    }

    @Test
    fun `a refused directory lists every problem`() {
        val directory = """{"schema_version":1,"orgs":[{"id":"o1","slug":"Bad Slug","name":"A"},{"id":"o2","slug":"-b","name":"B"}],"users":[],"memberships":[]}"""
        val e = assertFailsWith<OrgkitException.Validation> { Engine.withDirectory(directory) }
        assertEquals("invalid_directory", e.code)
        val problems = Json.parseToJsonElement(e.detailsJson).jsonObject.getValue("problems").jsonArray
        assertTrue(problems.size >= 2, "expected every problem, got $problems")
    }

    @Test
    fun `arguments that are not JSON are Input errors naming the argument`() {
        Engine().use { engine ->
            val e = assertFailsWith<OrgkitException.Input> { engine.load("{not json") }
            assertEquals("invalid_json", e.code)
            assertEquals("directory", e.path)
            val attrs = assertFailsWith<OrgkitException.Input> {
                engine.authorize(SessionScope("u", "o"), "org.read", ResourceRef("Organization", "o", attrsJson = "[1,"), 0L)
            }
            assertEquals("resource.attrs", attrs.path)
        }
        val op = assertFailsWith<OrgkitException.Input> { invoke("frobnicate", "{}") }
        assertEquals("unknown_op", op.code)
        assertNull(op.reason)
    }

    @Test
    fun `call never throws, errors come back in the envelope`() {
        val output = call("frobnicate", "{}")
        val error = Json.parseToJsonElement(output).jsonObject.getValue("error").jsonObject
        assertEquals("unknown_op", error.getValue("code").jsonPrimitive.content)
        Engine().use { engine ->
            val invalid = Json.parseToJsonElement(engine.call("route", "{")).jsonObject.getValue("error").jsonObject
            assertEquals("invalid_json", invalid.getValue("code").jsonPrimitive.content)
        }
    }
}

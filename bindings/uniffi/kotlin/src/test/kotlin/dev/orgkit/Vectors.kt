// The conformance vectors that cover the binding's surface, the native engine's outputs, and
// the one way to judge an output (the rules of tests/vectors/README.md, as tests/src/lib.rs and
// wasm/test/vectors.test.mjs apply them).
package dev.orgkit

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import kotlin.test.fail
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.junit.jupiter.api.DynamicTest

/**
 * The ops a mobile app calls through this binding (the typed methods of [Engine] wrap them):
 * every vector of these ops, in whatever file, runs through the binding.
 */
val SURFACE_OPS = setOf(
    "normalize_email", "normalize_domain", "route", "branding_resolve",
    "authorize", "check", "allowed_actions", "session_verify", "session_resolve", "feature_flags",
    "load", "apply_changes", "stats",
)

/** One conformance case. [input] is the text given to `call`; [fields] the parsed input, if an object. */
data class Case(
    val file: String,
    val id: String,
    val op: String,
    val input: String,
    val fields: JsonObject?,
    val expected: JsonObject,
)

private val root = File(System.getProperty("orgkit.vectors") ?: "../../../tests/vectors")

/** Every case of the surface ops, in file order. */
val surfaceCases: List<Case> by lazy {
    root.walkTopDown().filter { it.isFile && it.name.endsWith(".jsonl") }.sortedBy { it.path }
        .flatMap { file ->
            file.readLines().filter { it.isNotBlank() }.map { line ->
                val case = Json.parseToJsonElement(line).jsonObject
                val raw = case["input_raw"]
                val input = case["input"]
                Case(
                    file = file.relativeTo(root).path,
                    id = case.getValue("id").jsonPrimitive.content,
                    op = case.getValue("op").jsonPrimitive.content,
                    input = raw?.jsonPrimitive?.content ?: input.toString(),
                    fields = input as? JsonObject,
                    expected = case.getValue("expected").jsonObject,
                )
            }
        }
        .filter { it.op in SURFACE_OPS }
        .toList()
}

/** The native runner's output of each case, by id (ORGKIT_NATIVE_OUTPUTS), or null when not given. */
val nativeOutputs: Map<String, String>? by lazy {
    System.getenv("ORGKIT_NATIVE_OUTPUTS")?.takeIf { it.isNotEmpty() }?.let { path ->
        File(path).readLines().filter { it.isNotBlank() }.associate { line ->
            val entry = Json.parseToJsonElement(line).jsonObject
            entry.getValue("id").jsonPrimitive.content to entry.getValue("output").jsonPrimitive.content
        }
    }
}

/** The `ok` value's text of a native output, as the binding's `json` fields carry it. */
fun okText(output: String): String = output.removePrefix("{\"ok\":").removeSuffix("}")

/** Equal JSON values (numbers by value, objects by keys). */
fun sameJson(a: JsonElement, b: JsonElement): Boolean = when {
    a is JsonObject && b is JsonObject -> a.keys == b.keys && a.all { (k, v) -> sameJson(v, b.getValue(k)) }
    a is JsonArray && b is JsonArray -> a.size == b.size && a.indices.all { sameJson(a[it], b[it]) }
    a is JsonNull || b is JsonNull -> a == b
    a is JsonPrimitive && b is JsonPrimitive ->
        if (a.isString || b.isString) a.isString == b.isString && a.content == b.content
        else {
            val x = a.content.toBigDecimalOrNull()
            val y = b.content.toBigDecimalOrNull()
            if (x != null && y != null) x.compareTo(y) == 0 else a.content == b.content
        }
    else -> false
}

/** Does [actual] match the error [pattern]: named keys, arrays by length, scalars by equality. */
fun assertMatches(pattern: JsonElement, actual: JsonElement, at: String = "error") {
    when (pattern) {
        is JsonObject -> {
            assertTrue(actual is JsonObject, "$at: not an object: $actual")
            for ((key, want) in pattern) {
                val got = actual[key] ?: fail("$at.$key: missing in $actual")
                assertMatches(want, got, "$at.$key")
            }
        }
        is JsonArray -> {
            assertTrue(actual is JsonArray && actual.size == pattern.size, "$at: length differs: $actual")
            pattern.forEachIndexed { i, want -> assertMatches(want, actual[i], "$at[$i]") }
        }
        else -> assertTrue(sameJson(pattern, actual), "$at: expected $pattern, got $actual")
    }
}

/** Judges one output of `call` for [case]: byte for byte the native one, and as expected. */
fun assertOutput(case: Case, output: String) {
    nativeOutputs?.let { assertEquals(it[case.id], output, "differs from the native engine's output") }
    val actual = Json.parseToJsonElement(output).jsonObject
    val ok = case.expected["ok"]
    if (ok != null) {
        val got = actual["ok"] ?: fail("expected ok, got $output")
        assertTrue(sameJson(ok, got), "expected ${case.expected}, got $output")
    } else {
        val got = actual["error"] ?: fail("expected an error, got $output")
        assertMatches(case.expected.getValue("error"), got)
    }
}

/** A dynamic test of [case], named by its file and id (as failures are too). */
fun caseTest(case: Case, body: () -> Unit): DynamicTest = DynamicTest.dynamicTest("${case.file} ${case.id}") {
    try {
        body()
    } catch (e: AssertionError) {
        throw AssertionError("${case.file} ${case.id}: ${e.message}", e)
    }
}

/** The case [id] of the surface vectors (its directory, options and input serve as fixtures). */
fun fixture(id: String): Case = surfaceCases.single { it.id == id }

/** An engine loaded with the directory and options of the case [id]. */
fun engineOf(id: String): Engine {
    val input = fixture(id).fields!!
    return Engine.withDirectory(input.getValue("directory").toString(), input["options"]?.toString())
}

/** A string field of the case [id]'s input. */
fun inputText(id: String, key: String): String = fixture(id).fields!!.getValue(key).jsonPrimitive.content

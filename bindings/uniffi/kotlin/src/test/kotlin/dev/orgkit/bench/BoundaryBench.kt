// The Kotlin side of the uniffi boundary benchmark (bindings/uniffi/bench/run.sh runs it after
// the native side, examples/boundary_bench.rs): the same calls on the same directories, through
// the generated bindings, JNA and the release cdylib. Per call: p50, p99 and mean over 200,000
// individually timed calls after 50,000 warm-up calls. Not a test: run on demand with
// `mvn -B -Pbench test-compile exec:exec` (see BENCHMARKS.md).
package dev.orgkit.bench

import dev.orgkit.ResourceRef
import dev.orgkit.SessionScope
import dev.orgkit.engineOf
import dev.orgkit.fixture
import dev.orgkit.version
import kotlinx.serialization.json.JsonObject

private const val WARMUP = 50_000
private const val CALLS = 200_000

private var sink = 0

private fun measure(name: String, call: () -> Any) {
    repeat(WARMUP) { sink += call().hashCode() }
    val nanos = LongArray(CALLS)
    for (i in 0 until CALLS) {
        val start = System.nanoTime()
        val result = call()
        nanos[i] = System.nanoTime() - start
        sink += result.hashCode()
    }
    val mean = nanos.average() / 1000.0
    nanos.sort()
    fun p(q: Double) = nanos[minOf((CALLS * q).toInt(), CALLS - 1)] / 1000.0
    println("| $name | %.2f | %.2f | %.2f |".format(p(0.50), p(0.99), mean))
}

/** The case's input without its directory and options: what `call` takes on an engine. */
private fun requestOf(id: String): String =
    JsonObject(fixture(id).fields!!.filterKeys { it != "directory" && it != "options" }).toString()

fun main() {
    println("Kotlin (JVM, JNA, uniffi), µs per call")
    println("| call | p50 | p99 | mean |")
    println("|---|---|---|---|")
    measure("binding version") { version() }

    engineOf("route-sso-exact").use { engine ->
        val request = requestOf("route-sso-exact")
        measure("route: engine.call") { engine.call("route", request) }
        measure("route: engine.route") { engine.route("alice@acme.com") }
    }

    val id = "authz-role-owner-org.read"
    engineOf(id).use { engine ->
        val request = requestOf(id)
        val scope = SessionScope("olga", "org_acme")
        val resource = ResourceRef("Organization", "org_acme")
        measure("authorize: engine.call") { engine.call("authorize", request) }
        measure("authorize: engine.authorize") { engine.authorize(scope, "org.read", resource, 1_798_761_600L) }
        measure("check: engine.check") { engine.check(scope, "org.read", resource, 1_798_761_600L) }
    }
    if (sink == 42) println()
}

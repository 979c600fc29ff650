// Every conformance vector of the binding's surface ops through the stateless `call`: each
// output must be byte for byte the native engine's, and match the case's expectation.
package dev.orgkit

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory

class VectorsTest {
    @Test
    fun `the surface has vectors, and a native output for each when given`() {
        assertTrue(surfaceCases.size >= 700, "only ${surfaceCases.size} vectors of the surface ops")
        assertEquals(SURFACE_OPS, surfaceCases.map { it.op }.toSet(), "an op of the surface has no vector")
        nativeOutputs?.let { native ->
            val missing = surfaceCases.filter { it.id !in native }.map { it.id }
            assertTrue(missing.isEmpty(), "no native output for $missing")
        }
    }

    @TestFactory
    fun `every surface vector through call`(): List<DynamicTest> = surfaceCases.map { case ->
        caseTest(case) {
            assertOutput(case, call(case.op, case.input))
        }
    }
}

// Prints one closing line that CI reads: `vitest: 123 passed, 0 failed` (`, N skipped` only when some were).
// A test file that failed outside any test (import error, failing hook) counts as one failure, so a broken file
// can never hide behind "0 failed".
import type { Reporter, SerializedError, TestModule } from 'vitest/node'

export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const testModule of testModules) {
      let failedInModule = 0
      for (const test of testModule.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failedInModule++
        else skipped++
      }
      if (failedInModule === 0 && testModule.state() === 'failed') failedInModule = 1
      failed += failedInModule
    }
    failed += unhandledErrors.length
    const skippedPart = skipped > 0 ? `, ${skipped} skipped` : ''
    process.stdout.write(`\nvitest: ${passed} passed, ${failed} failed${skippedPart}\n`)
  }
}

// Sums the JSON reports of Vitest and Playwright into the one line CI reads:
// "N passed, N failed, N skipped", where failed also counts a failed build,
// typecheck or lint. Exits non-zero when anything failed or
// when the reports are missing (a run that tested nothing is not a pass).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const reportsDir = process.argv[2] ?? '.reports';
const totals = { passed: 0, failed: 0, skipped: 0 };
const missing = [];

function readReport(name) {
  const path = join(reportsDir, name);
  if (!existsSync(path)) {
    missing.push(name);
    return null;
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}

// Vitest runs twice (the main run, then the timing-sensitive scale tests
// alone); each run must leave its report, and any other vitest*.json counts too.
const vitestReports = new Set(['vitest.json', 'vitest-scale.json']);
if (existsSync(reportsDir)) {
  for (const name of readdirSync(reportsDir)) {
    if (/^vitest.*\.json$/.test(name)) vitestReports.add(name);
  }
}
for (const name of [...vitestReports].sort()) {
  const vitest = readReport(name);
  if (vitest) {
    totals.passed += vitest.numPassedTests;
    totals.failed += vitest.numFailedTests;
    totals.skipped += vitest.numPendingTests + vitest.numTodoTests;
    if (vitest.numTotalTests === 0 || vitest.success === false) {
      totals.failed += vitest.numFailedTests === 0 ? 1 : 0;
    }
  }
}

const playwright = readReport('playwright.json');
if (playwright) {
  totals.passed += playwright.stats.expected + playwright.stats.flaky;
  totals.failed += playwright.stats.unexpected;
  totals.skipped += playwright.stats.skipped;
  totals.failed += (playwright.errors ?? []).length;
}

// Build, typecheck and lint count as one failed check each: a green test run
// on code that does not typecheck is not a pass.
const failedStepsFile = join(reportsDir, 'failed-steps.txt');
if (existsSync(failedStepsFile)) {
  const failedSteps = readFileSync(failedStepsFile, 'utf8').split('\n').filter(Boolean);
  for (const step of failedSteps) {
    console.log(`failed check: ${step}`);
  }
  totals.failed += failedSteps.length;
}

for (const name of missing) {
  console.log(`missing report: ${name} (that runner did not finish)`);
  totals.failed += 1;
}

console.log(
  `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`,
);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);

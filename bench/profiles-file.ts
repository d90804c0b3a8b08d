// Benchmark: reading, listing and writing back a large profiles file.
// Prints medians over several runs (ratios in one run: machines are noisy).
//
//   npm run bench:file -- [--profiles 1000]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HistoryStore } from '../electron/core/history/history-store.js';
import { createLogger } from '../electron/core/logger.js';
import { applyPatchToFile } from '../electron/core/profiles-file/write-profiles-file.js';
import { readProfilesFile } from '../electron/core/profiles-file/read-profiles-file.js';
import {
  parseProfilesFile,
  serializeProfilesFile,
  viewDocument,
} from '../electron/core/profiles-file/codec.js';
import { buildSnapshot } from '../electron/core/profiles-file/snapshot.js';

const { values } = parseArgs({
  options: { profiles: { type: 'string', default: '1000' } },
});
const count = Number(values.profiles);
const runs = 30;

function fileText(profiles: number): string {
  const blocks: string[] = [];
  for (let index = 0; index < profiles; index += 1) {
    blocks.push(
      `[profile=p${index}]\nTOKEN=eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3OTYzMTY5MTR9.${'s'.repeat(300)}\n` +
        `TOKEN_EXPIRES=${1796316914 + index}.25\nAGENT_ID=\nBASE_URL=https://api.doover.com\n` +
        `REFRESH_TOKEN=${'r'.repeat(60)}\nREFRESH_TOKEN_ID=\nBASE_DATA_URL=https://data.doover.com/api\n` +
        `AUTH_SERVER_URL=https://auth.doover.com\nAUTH_SERVER_CLIENT_ID=abc\n`,
    );
  }
  return blocks.join('\n\n');
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function time(task: () => unknown): number {
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    task();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** Median time of `task`; `settle` runs untimed after each run. */
async function timeAsync(
  task: () => Promise<unknown>,
  settle: () => Promise<unknown> = async () => undefined,
): Promise<number> {
  // A few untimed runs first: a running app has its code compiled and its files cached.
  for (let run = 0; run < 3; run += 1) {
    await task();
    await settle();
  }
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    await task();
    samples.push(performance.now() - started);
    await settle();
  }
  return median(samples);
}

interface PatchTimes {
  /** Lock, read, patch, flush, check, rename: no history kept. */
  alone: number;
  /** The same with history kept, until the save is reported. */
  reported: number;
  /** The same, until the kept version is written too. */
  historyWritten: number;
}

/** One patch written to a real file, timed as the app would report it. */
async function patchOnDisk(text: string): Promise<PatchTimes> {
  const folder = await mkdtemp(join(tmpdir(), 'bench-patch-'));
  const path = join(folder, 'config');
  const log = createLogger({ level: 'silent' });
  const clock = { now: () => Date.now() };
  const history = new HistoryStore({ dataDir: join(folder, 'data'), log });
  await writeFile(path, text);
  let patches = 0;
  const nextPatch = () => ({
    kind: 'update' as const,
    profile: 'p500',
    fields: { AGENT_ID: String((patches += 1)) },
  });
  try {
    const alone = await timeAsync(() =>
      applyPatchToFile(path, nextPatch(), { clock, log }),
    );
    const reported = await timeAsync(
      () => applyPatchToFile(path, nextPatch(), { clock, log, history }),
      () => history.list(),
    );
    const historyWritten = await timeAsync(async () => {
      await applyPatchToFile(path, nextPatch(), { clock, log, history });
      await history.list();
    });
    return { alone, reported, historyWritten };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Median time to read the file from disk (cached, as a running app finds it), decode and parse it. */
async function readFromDisk(fileText: string): Promise<number> {
  const folder = await mkdtemp(join(tmpdir(), 'bench-read-'));
  const path = join(folder, 'config');
  await writeFile(path, fileText);
  try {
    return await timeAsync(() => readProfilesFile(path));
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const text = fileText(count);
const document = parseProfilesFile(text);
const reading = { state: { status: 'ok' as const }, text, document };

console.log(
  `profiles: ${count}, file size: ${(text.length / 1024).toFixed(0)} KiB, median of ${runs} runs`,
);
console.log(
  `parse:                        ${time(() => parseProfilesFile(text)).toFixed(2)} ms`,
);
console.log(
  `parse + serialize:            ${time(() => serializeProfilesFile(parseProfilesFile(text))).toFixed(2)} ms`,
);
console.log(
  `view as pydoover:             ${time(() => viewDocument(document)).toFixed(2)} ms`,
);
console.log(
  `snapshot for the window:      ${time(() => buildSnapshot('/p', reading, 0)).toFixed(2)} ms`,
);

console.log(`read from disk + parse:       ${(await readFromDisk(text)).toFixed(2)} ms`);
const patchTimes = await patchOnDisk(text);
console.log(`one patch on disk (flushed):  ${patchTimes.alone.toFixed(2)} ms`);
console.log(`  … with history, until saved: ${patchTimes.reported.toFixed(2)} ms`);
console.log(`  … until the kept copy is too: ${patchTimes.historyWritten.toFixed(2)} ms`);

/**
 * `npm run bench -- import [ROWS] [RUNS]`: a generated 20,000-row XLSX roster, imported into a fresh
 * database (parse, every check, one-transaction write) against a plain exceljs streaming parse of the
 * same file with the same reader options, in the same run. Prints medians and `ratio: X` (target <= 2.0).
 */
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../controller/src/store/database.ts';
import { importRosterFile } from '../../controller/src/app/roster-import.ts';
import { XLSX_READER_OPTIONS } from '../../controller/src/formats/spreadsheet/xlsx.ts';
import { spareReaderReady, stopSpareReader } from '../../controller/src/formats/spreadsheet/isolated-read.ts';
import { makeStudents, toRows, writeXlsx } from '../support/roster-fixtures.ts';
import { sqlRosterStore } from '../../controller/src/store/students.ts';

const rowCount = Number(process.argv[2] ?? 20_000);
const runs = Number(process.argv[3] ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'rig-bench-import-'));

async function plainParse(file: string): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, XLSX_READER_OPTIONS);
  let cells = 0;
  for await (const sheet of reader) {
    for await (const row of sheet) cells += (row.values as unknown[]).length;
  }
  return cells;
}

async function fullImport(file: string, run: number): Promise<number> {
  const db = await Database.open(join(dir, `run-${run}.db`));
  try {
    const { plan } = await importRosterFile(sqlRosterStore(db), file, { today: '2026-06-01', actor: 'bench' });
    if (plan.errors.length > 0) throw new Error(`bench roster rejected: ${plan.errors[0]?.message}`);
    return plan.add.length;
  } finally {
    await db.close();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Wall time in ms; CPU time (all threads of the process, SQLite's included) goes to `cpu`. */
async function time(fn: () => Promise<unknown>, cpu: number[]): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const c = process.cpuUsage();
  const t = process.hrtime.bigint();
  await fn();
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  const used = process.cpuUsage(c);
  cpu.push((used.user + used.system) / 1000);
  return wall;
}

try {
  const file = join(dir, 'roster.xlsx');
  const students = makeStudents(rowCount);
  await writeXlsx(file, toRows(students));
  console.log(`roster: ${students.length} rows, ${(statSync(file).size / 1024).toFixed(0)} KiB`);
  await plainParse(file); // warm-up: module loading and JIT for both sides
  // The first import of a session boots its reader; later ones find a spare reader waiting.
  const coldStart = performance.now();
  const imported = await fullImport(file, -1);
  const cold = performance.now() - coldStart;
  if (imported !== students.length) throw new Error(`imported ${imported} of ${students.length}`);
  console.log(`first import (reader booted for it): ${cold.toFixed(0)} ms`);

  const parse: number[] = [];
  const full: number[] = [];
  const parseCpu: number[] = [];
  const fullCpu: number[] = [];
  // Interleaved, so drift in machine load hits both sides alike.
  for (let r = 0; r < runs; r++) {
    // Neither side is timed while the spare reader boots in the background.
    await spareReaderReady();
    parse.push(await time(() => plainParse(file), parseCpu));
    full.push(await time(() => fullImport(file, r), fullCpu));
  }
  const p = median(parse);
  const f = median(full);
  const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(`exceljs parse: median ${p.toFixed(0)} ms over ${runs} runs (${list(parse)}); CPU median ${median(parseCpu).toFixed(0)} ms`);
  console.log(`full import:   median ${f.toFixed(0)} ms over ${runs} runs (${list(full)}); CPU median ${median(fullCpu).toFixed(0)} ms`);
  console.log(`CPU-time ratio (for reference, less sensitive to other load): ${(median(fullCpu) / median(parseCpu)).toFixed(2)}`);
  console.log(`ratio: ${(f / p).toFixed(2)}`);
} finally {
  await stopSpareReader();
  rmSync(dir, { recursive: true, force: true });
}

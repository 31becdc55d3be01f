/**
 * `npm run bench -- xlsx [ROWS] [RUNS]`: the batch manifest's XLSX (default 5,000 rows of the 16
 * manifest columns, Chinese text, 18-digit ID numbers as text) written by our writer
 * (formats/export/xlsx-writer.ts) against exceljs' streaming WorkbookWriter (no styles, inline
 * strings) on the same cells. Each write runs in a fresh child process so that its peak RSS (VmHWM)
 * is its own; runs alternate between the two. Both files are read back with exceljs and must hold
 * the same cells. Prints medians of time and peak RSS and ends with `ratio: X` = our median time /
 * exceljs' median time (below 1: ours is faster).
 */
import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { simpleXlsx, type XlsxCell } from '../../controller/src/formats/export/xlsx-writer.ts';

type Writer = 'ours' | 'exceljs';

const widths = [10, 22, 12, 8, 12, 10, 10, 20, 16, 14, 16, 16, 20, 28, 66, 22];
const header = ['序号 sequence', '身份证号 id_number', '姓名 name', '性别 gender', '出生日期 birth_date', '院校代码 school_code',
  '学历层次 education_level', '专业 major', '院系 department', '班级 class', '学号 student_number', '采集码 collection_code',
  '识别码 code_text', '文件名 file', 'SHA-256', '采集时间 accepted_at'];

/** The manifest's cells for `count` photos: what a day's batch export writes. */
function cells(count: number): XlsxCell[][] {
  const rows: XlsxCell[][] = [header];
  for (let i = 1; i <= count; i++) {
    const id = `11010120000101${String(i).padStart(4, '0')}`;
    rows.push([i, id, `考生${i}号`, i % 2 ? '男' : '女', '2000-01-01', '10999', '本科', '计算机科学与技术', '计算机学院',
      `软件工程${2021 + (i % 4)}${i % 40}班`, `S2021${String(i).padStart(5, '0')}`, `C${i}`, id, `photos/${id}.jpg`,
      (i * 2654435761 >>> 0).toString(16).padStart(8, '0').repeat(8), `2026-06-10T0${i % 10}:00:00Z`]);
  }
  return rows;
}

/** Peak resident set size of this process so far, in bytes. */
function peakRss(): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

async function writeWithExceljs(rows: XlsxCell[][], file: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet('manifest', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = widths.map((width) => ({ width }));
  for (const row of rows) ws.addRow(row).commit();
  ws.commit();
  await wb.commit();
}

/** One write in this (child) process: prints {ms, peak, base, bytes} as JSON. */
async function child(writer: Writer, rowCount: number, file: string): Promise<void> {
  const rows = cells(rowCount);
  global.gc?.();
  const base = peakRss();
  const started = performance.now();
  if (writer === 'ours') writeFileSync(file, simpleXlsx('manifest', widths, rows, 'bench'));
  else await writeWithExceljs(rows, file);
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ms, peak: peakRss(), base, bytes: statSync(file).size }));
}

/**
 * The whole file read back as text cells. Not exceljs' streaming reader: it splits UTF-8 characters
 * at chunk boundaries (exceljs issues 2063, 2084; a 5,000-row Chinese sheet loses one character).
 */
async function readBack(file: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: string[][] = [];
  wb.worksheets[0]!.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => String(v))));
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
  const rowCount = Number(process.argv[2] ?? 5_000);
  const runs = Number(process.argv[3] ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'rig-bench-xlsx-'));
  const self = fileURLToPath(import.meta.url);
  const run = promisify(execFile);
  try {
    const results: Record<Writer, Array<{ ms: number; peak: number; base: number; bytes: number }>> = { ours: [], exceljs: [] };
    for (let i = 0; i < runs; i++) {
      // Alternate the order so that neither always runs on the warmer machine.
      for (const writer of (i % 2 ? ['exceljs', 'ours'] : ['ours', 'exceljs']) as Writer[]) {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', '--expose-gc', self, 'child', writer, String(rowCount), join(dir, `${writer}.xlsx`)]);
        results[writer].push(JSON.parse(stdout) as { ms: number; peak: number; base: number; bytes: number });
      }
    }
    const [ours, theirs] = [await readBack(join(dir, 'ours.xlsx')), await readBack(join(dir, 'exceljs.xlsx'))];
    const differ = ours.findIndex((row, i) => JSON.stringify(row) !== JSON.stringify(theirs[i]));
    if (ours.length !== rowCount + 1 || theirs.length !== ours.length || differ >= 0) {
      throw new Error(`the two files do not hold the same cells (${ours.length} and ${theirs.length} rows; first difference in row ${differ + 1}: ${JSON.stringify(ours[differ])} vs ${JSON.stringify(theirs[differ])})`);
    }

    console.log(`${rowCount} rows x ${widths.length} columns, ${runs} runs each, one child process per write (same cells read back from both)`);
    for (const writer of ['ours', 'exceljs'] as Writer[]) {
      const r = results[writer];
      console.log(`${writer.padEnd(8)} time ${median(r.map((x) => x.ms)).toFixed(0).padStart(5)} ms (runs ${r.map((x) => x.ms.toFixed(0)).join(' ')})`
        + `  peak RSS ${mb(median(r.map((x) => x.peak)))} MB (+${mb(median(r.map((x) => x.peak - x.base)))} MB over the rows in memory)`
        + `  file ${(r[0]!.bytes / 1024).toFixed(0)} KB`);
    }
    console.log(`ratio: ${(median(results.ours.map((x) => x.ms)) / median(results.exceljs.map((x) => x.ms))).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'child') await child(process.argv[3] as Writer, Number(process.argv[4]), process.argv[5]!);
else await main();

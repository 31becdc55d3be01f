/**
 * Generated roster fixtures: invented students with valid GB 11643 numbers, written as XLSX
 * (exceljs), UTF-8 CSV and GBK CSV. Nothing here is a real person.
 */
import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';
import { idCheckCharacter } from '../../controller/src/domain/roster/id-number.ts';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭'];
const GIVEN = ['子涵', '浩然', '思远', '雨桐', '一鸣', '欣怡', '明轩', '语嫣', '俊杰', '诗琪', '嘉懿', '天佑', '若曦', '博文', '梓萱', '宇航'];
const REGIONS = ['110105', '310104', '440106', '420111', '510107', '330106'];
const DEPARTMENTS = ['计算机学院', '外国语学院', '机械工程学院', '经济管理学院'];
const MAJORS = ['软件工程', '英语', '机械设计制造及其自动化', '会计学'];

/** Builds a valid 18-character ID number for the given birth date (YYYYMMDD), gender and serial (0-449). */
export function makeIdNumber(region: string, birth: string, gender: 'M' | 'F', serial: number): string {
  // The sequence's last digit carries the gender: odd for men, even for women.
  const seq = String(100 + serial * 2 + (gender === 'M' ? 1 : 0)).padStart(3, '0');
  const first17 = region + birth + seq;
  return first17 + idCheckCharacter(first17);
}

const DAYS = 1800;

export interface FixtureStudent {
  身份证号: string;
  姓名: string;
  性别: string;
  出生日期: string;
  院校代码: string;
  学历层次: string;
  专业: string;
  院系: string;
  班级: string;
  '学号/考生号': string;
  采集码: string;
  教育类别: string;
  资格审查: string;
}

export const HEADERS: (keyof FixtureStudent)[] = ['身份证号', '姓名', '性别', '出生日期', '院校代码', '学历层次', '专业', '院系', '班级', '学号/考生号', '采集码', '教育类别', '资格审查'];

/** `count` invented students, deterministic for a given `seed` offset. */
export function makeStudents(count: number, seed = 0): FixtureStudent[] {
  const out: FixtureStudent[] = [];
  for (let k = 0; k < count; k++) {
    const i = k + seed;
    const gender = i % 2 === 0 ? 'M' : 'F';
    // (day, serial) is unique for every i below DAYS * 450, so no two students share an ID number.
    const born = new Date(Date.UTC(2000, 0, 1) + (i % DAYS) * 86_400_000);
    const year = born.getUTCFullYear();
    const month = born.getUTCMonth() + 1;
    const day = born.getUTCDate();
    const birth = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    const d = i % DEPARTMENTS.length;
    out.push({
      身份证号: makeIdNumber(REGIONS[i % REGIONS.length]!, birth, gender, Math.floor(i / DAYS)),
      姓名: SURNAMES[i % SURNAMES.length]! + GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]!,
      性别: gender === 'M' ? '男' : '女',
      出生日期: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      院校代码: '10499',
      学历层次: '本科',
      专业: MAJORS[d]!,
      院系: DEPARTMENTS[d]!,
      班级: `${MAJORS[d]!}${2021}${1 + (i % 3)}班`,
      '学号/考生号': `2021${String(100000 + i)}`,
      采集码: `CJM${String(i).padStart(8, '0')}`,
      教育类别: i % 10 === 9 ? '成人' : '普通',
      资格审查: '通过',
    });
  }
  return out;
}

export function toRows(students: FixtureStudent[], headers: string[] = HEADERS): string[][] {
  return [headers, ...students.map((s) => HEADERS.map((h) => s[h]))];
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function toCsv(rows: string[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

let gbkTable: Map<string, number[]> | null = null;
/**
 * GBK bytes for text. Node can decode GB18030 but not encode it, so the table is the decoder run
 * backwards over every two-byte code.
 */
export function encodeGbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const dec = new TextDecoder('gb18030');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = dec.decode(new Uint8Array([lead, trail]));
        if (ch.length === 1 && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
      }
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else {
      const pair = gbkTable.get(ch);
      if (!pair) throw new Error(`no GBK code for ${ch}`);
      bytes.push(...pair);
    }
  }
  return Buffer.from(bytes);
}

/** Writes an XLSX with exceljs' streaming writer (fast for 20,000 rows). Cells may be non-strings. */
export async function writeXlsx(file: string, rows: Array<Array<string | number | Date | null>>): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('名单');
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
}

export function writeCsv(file: string, rows: string[][], encoding: 'utf-8' | 'utf-8-bom' | 'gbk'): void {
  const text = toCsv(rows);
  if (encoding === 'gbk') writeFileSync(file, encodeGbk(text));
  else writeFileSync(file, (encoding === 'utf-8-bom' ? '\ufeff' : '') + text, 'utf8');
}

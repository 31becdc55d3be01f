/**
 * The roster's columns and the header spellings schools use for them. Provincial templates, the
 * 学信网 export and schools' own sheets differ in wording, brackets, "*" for required and English
 * headers, so headers are compared after folding those differences away.
 */

export type RosterField =
  | 'idNumber'
  | 'name'
  | 'gender'
  | 'birthDate'
  | 'schoolCode'
  | 'educationLevel'
  | 'major'
  | 'department'
  | 'className'
  | 'studentNumber'
  | 'collectionCode'
  | 'educationCategory'
  | 'qualificationPassed';

export interface RosterColumn {
  field: RosterField;
  /** The canonical header, used in messages when the file lacks the column. */
  header: string;
  required: boolean;
  /** Longest accepted value; roster text is hostile input, and these fit every real value. */
  maxLength: number;
  aliases: readonly string[];
}

export const ROSTER_COLUMNS: readonly RosterColumn[] = [
  { field: 'idNumber', header: '身份证号', required: true, maxLength: 32,
    aliases: ['身份证号', '身份证号码', '身份证', '公民身份号码', '证件号码', '证件号', 'idnumber', 'idno', 'idcard', 'idcardnumber'] },
  { field: 'name', header: '姓名', required: true, maxLength: 60,
    aliases: ['姓名', '学生姓名', '考生姓名', 'name', 'fullname', 'studentname'] },
  { field: 'gender', header: '性别', required: true, maxLength: 8,
    aliases: ['性别', 'gender', 'sex'] },
  { field: 'birthDate', header: '出生日期', required: true, maxLength: 32,
    aliases: ['出生日期', '出生年月日', '出生年月', '生日', 'birthdate', 'dateofbirth', 'dob', 'birthday'] },
  { field: 'schoolCode', header: '院校代码', required: true, maxLength: 5,
    aliases: ['院校代码', '学校代码', '院校编码', 'schoolcode'] },
  { field: 'educationLevel', header: '学历层次', required: true, maxLength: 40,
    aliases: ['学历层次', '层次', '培养层次', 'educationlevel', 'level'] },
  { field: 'major', header: '专业', required: true, maxLength: 100,
    aliases: ['专业', '专业名称', 'major'] },
  { field: 'department', header: '院系', required: true, maxLength: 100,
    aliases: ['院系', '院系名称', '学院', '系', '系别', '所在院系', 'department', 'faculty'] },
  { field: 'className', header: '班级', required: true, maxLength: 100,
    aliases: ['班级', '班级名称', '行政班', '所在班级', 'class', 'classname'] },
  { field: 'studentNumber', header: '学号/考生号', required: true, maxLength: 40,
    aliases: ['学号考生号', '学号', '考生号', '学籍号', 'studentnumber', 'studentno', 'studentid', 'examineenumber'] },
  { field: 'collectionCode', header: '采集码', required: false, maxLength: 200,
    aliases: ['采集码', '图像采集码', 'collectioncode'] },
  { field: 'educationCategory', header: '教育类别', required: true, maxLength: 20,
    aliases: ['教育类别', '教育类型', '类别', 'educationcategory', 'category'] },
  { field: 'qualificationPassed', header: '资格审查', required: true, maxLength: 20,
    aliases: ['资格审查', '资格审查结果', '资格审查状态', '审查结果', 'qualification', 'qualificationcheck', 'qualified'] },
];

/** Folds a header cell to its comparison key: NFKC, lower case, no spaces, brackets, "*" or separators. */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[(\[]?必填[)\]]?/g, '')
    .replace(/[\s_\-*:./()[\]【】、]/g, '');
}

const BY_KEY = new Map<string, RosterColumn>(
  ROSTER_COLUMNS.flatMap((c) => c.aliases.map((a) => [headerKey(a), c] as const)),
);

export interface HeaderProblem {
  /** 1-based column index in the sheet (0 when the column is missing altogether). */
  index: number;
  column: string;
  code: 'roster.header.missing' | 'roster.header.duplicate';
}

export interface HeaderMap {
  /** Index into the row's cells for each field present. */
  indexOf: Partial<Record<RosterField, number>>;
  /** The header text as the file writes it, for error reports. */
  label: Record<RosterField, string>;
  problems: HeaderProblem[];
}

/** Maps a header row to fields. Unknown columns are ignored: schools keep extra notes beside the roster. */
export function mapHeader(cells: readonly string[]): HeaderMap {
  const indexOf: Partial<Record<RosterField, number>> = {};
  const label = Object.fromEntries(ROSTER_COLUMNS.map((c) => [c.field, c.header])) as Record<RosterField, string>;
  const problems: HeaderProblem[] = [];
  cells.forEach((cell, i) => {
    const column = BY_KEY.get(headerKey(cell));
    if (!column) return;
    if (indexOf[column.field] !== undefined) {
      problems.push({ index: i + 1, column: cell.trim(), code: 'roster.header.duplicate' });
      return;
    }
    indexOf[column.field] = i;
    label[column.field] = cell.normalize('NFKC').trim();
  });
  for (const c of ROSTER_COLUMNS) {
    if (c.required && indexOf[c.field] === undefined) problems.push({ index: 0, column: c.header, code: 'roster.header.missing' });
  }
  return { indexOf, label, problems };
}

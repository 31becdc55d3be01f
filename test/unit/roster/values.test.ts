import { describe, expect, it } from 'vitest';
import { mapHeader } from '../../../controller/src/domain/roster/columns.ts';
import { cellText, parseCategory, parseDate, parseGender, parseQualification } from '../../../controller/src/domain/roster/values.ts';

describe('roster cell values', () => {
  it('NFKC-normalises full-width digits and letters and trims spaces', () => {
    expect(cellText('１１０１０５１９４９１２３１００２ｘ')).toBe('11010519491231002x');
    expect(cellText('\u3000 计算机　学院  ')).toBe('计算机 学院');
    expect(cellText(null)).toBe('');
  });

  it('reads birth dates in the forms schools write them', () => {
    for (const v of ['2003-05-17', '2003/5/17', '2003.05.17', '2003年5月17日', '20030517', '２００３－０５－１７', '2003-05-17 00:00:00', 20030517]) {
      expect(parseDate(v), String(v)).toBe('2003-05-17');
    }
    expect(parseDate(new Date(Date.UTC(2003, 4, 17)))).toBe('2003-05-17');
    // Excel serial 37758 is 2003-05-17 (day 1 = 1900-01-01, with Excel's phantom 1900-02-29).
    expect(parseDate(37758)).toBe('2003-05-17');
    expect(parseDate('37758')).toBe('2003-05-17');
    for (const v of ['2003-02-30', '17/05/2003', 'May 17 2003', '2003-13-01', '', 12]) expect(parseDate(v), String(v)).toBeNull();
  });

  it('reads gender, education category and qualification wordings', () => {
    expect(['男', 'M', 'male', '1', ' 男 '].map((v) => parseGender(v))).toEqual(['M', 'M', 'M', 'M', 'M']);
    expect(['女', 'f', 'Female', '2'].map((v) => parseGender(v))).toEqual(['F', 'F', 'F', 'F']);
    expect(parseGender('未知')).toBeNull();
    expect(['普通', '普通高等教育', 'regular'].map((v) => parseCategory(v))).toEqual(['regular', 'regular', 'regular']);
    expect(['成人', '成人高等教育', 'Adult'].map((v) => parseCategory(v))).toEqual(['adult', 'adult', 'adult']);
    expect(parseCategory('自考')).toBeNull();
    expect(['通过', '合格', '是', 'passed', true].map((v) => parseQualification(v))).toEqual([true, true, true, true, true]);
    expect(['不通过', '未通过', '否', 'no', false].map((v) => parseQualification(v))).toEqual([false, false, false, false, false]);
    expect(parseQualification('')).toBeNull();
    expect(parseQualification('待定')).toBeNull();
  });
});

describe('roster headers', () => {
  it('maps Chinese, English and decorated headers to fields', () => {
    const zh = mapHeader(['身份证号', '姓名', '性别', '出生日期', '院校代码', '学历层次', '专业', '院系', '班级', '学号/考生号', '采集码', '教育类别', '资格审查']);
    expect(zh.problems).toEqual([]);
    expect(zh.indexOf.studentNumber).toBe(9);
    const en = mapHeader(['ID Number', 'Name', 'Gender', 'Date of Birth', 'School Code', 'Education Level', 'Major', 'Department', 'Class', 'Student No.', 'Education Category', 'Qualification']);
    expect(en.problems).toEqual([]);
    expect(en.indexOf.collectionCode).toBeUndefined();
    const decorated = mapHeader(['*身份证号码', '姓名（必填）', '性 别', '出生年月日', '学校代码', '层次', '专业名称', '学院', '班级名称', '学号（考生号）', '备注', '教育类别', '资格审查结果']);
    expect(decorated.problems).toEqual([]);
    expect(decorated.label.idNumber).toBe('*身份证号码');
  });

  it('reports missing and repeated columns', () => {
    const m = mapHeader(['身份证号', '姓名', '学号', '考生号']);
    expect(m.problems).toContainEqual({ index: 4, column: '考生号', code: 'roster.header.duplicate' });
    const missing = m.problems.filter((p) => p.code === 'roster.header.missing').map((p) => p.column);
    expect(missing).toEqual(['性别', '出生日期', '院校代码', '学历层次', '专业', '院系', '班级', '教育类别', '资格审查']);
  });
});

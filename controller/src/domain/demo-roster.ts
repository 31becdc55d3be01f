/**
 * The demo roster: invented graduates (names made up for the demo, ID numbers with valid GB 11643
 * check characters but no real person behind them) and today's and tomorrow's slots, so that a
 * newcomer can walk through every kiosk path on a laptop: allowed, not yet their slot,
 * qualification not passed, and (once photographed) already captured.
 */
import { idCheckCharacter } from './roster/id-number.ts';
import type { Student } from './student.ts';

/** A roster entry as the demo loads it (no row id yet), always with a 采集码, and what it demonstrates. */
export interface DemoStudent extends Omit<Student, 'id' | 'collectionCode'> {
  collectionCode: string;
  /** What this entry demonstrates, zh-CN / en (shown in the demo hint list). */
  note: { zh: string; en: string };
}

export interface DemoSlot {
  room: string;
  department: string;
  className: string;
  date: string;
  start: string;
  end: string;
}


/** An ID number for an invented person: region, birth date, sequence (odd = male), check character. */
export function demoIdNumber(region: string, birthDate: string, sequence: number, gender: 'M' | 'F'): string {
  const seq = sequence * 2 + (gender === 'M' ? 1 : 0);
  const first17 = `${region}${birthDate.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + idCheckCharacter(first17);
}

const soft = { department: '计算机学院', major: '软件工程', className: '软工2201' };
const tele = { department: '信息工程学院', major: '通信工程', className: '通信2202' };
const ok = { zh: '今天可以拍摄', en: 'can be photographed today' };

const people: Array<[string, 'M' | 'F', string, typeof soft, boolean, { zh: string; en: string }]> = [
  ['林晓文', 'F', '2003-04-05', soft, true, ok],
  ['陈景川', 'M', '2002-11-19', soft, true, ok],
  ['周若溪', 'F', '2003-08-23', soft, true, ok],
  ['吴子墨', 'M', '2003-01-30', soft, true, ok],
  ['许嘉禾', 'F', '2002-12-08', soft, false, { zh: '资格审查未通过', en: 'qualification check not passed' }],
  ['赵可欣', 'F', '2003-06-14', tele, true, { zh: '拍摄时段是明天', en: 'their slot is tomorrow' }],
  ['孙浩然', 'M', '2003-03-02', tele, true, { zh: '拍摄时段是明天', en: 'their slot is tomorrow' }],
];

export function demoStudents(schoolCode: string): DemoStudent[] {
  return people.map(([name, gender, birthDate, group, qualificationPassed, note], i) => ({
    idNumber: demoIdNumber('110101', birthDate, 10 + i, gender),
    name, gender, birthDate, schoolCode, educationLevel: '本科', major: group.major, department: group.department,
    className: group.className, studentNumber: `2022${String(i + 1).padStart(4, '0')}`, collectionCode: `DEMO${String(i + 1).padStart(4, '0')}`,
    educationCategory: 'regular', qualificationPassed, note,
  }));
}

/** Today, all day, for the software class; tomorrow morning for the telecoms class. */
export function demoSlots(today: string, tomorrow: string): DemoSlot[] {
  return [
    { room: '演示采集室', department: soft.department, className: soft.className, date: today, start: '00:00', end: '24:00' },
    { room: '演示采集室', department: tele.department, className: tele.className, date: tomorrow, start: '09:00', end: '11:00' },
  ];
}

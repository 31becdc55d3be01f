import type { IdentityCard } from './capture-session-types.ts';
import type { Student } from './student.ts';

/** The ID number as screens and logs may show it: region code and last four kept, the birth date and sequence hidden. */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length <= 10) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 6)}${'*'.repeat(idNumber.length - 10)}${idNumber.slice(-4)}`;
}

/** What the confirm screen shows of a roster entry. */
export function identityCard(student: Student, schoolName: string): IdentityCard {
  return {
    studentId: student.id,
    name: student.name,
    gender: student.gender,
    birthDate: student.birthDate,
    major: student.major,
    department: student.department,
    className: student.className,
    schoolCode: student.schoolCode,
    schoolName,
    maskedIdNumber: maskIdNumber(student.idNumber),
  };
}

import type { IdentityCard } from './capture-session-types.ts';
import { maskIdNumber } from './roster/id-number.ts';
import type { Student } from './student.ts';

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

/** The `students` table row (migration 001) and its mapping to the domain's Student. */
import type { Student } from '../domain/student.ts';

export interface StudentRow {
  id: number;
  id_number: string;
  name: string;
  gender: 'M' | 'F';
  birth_date: string;
  school_code: string;
  education_level: string;
  major: string;
  department: string;
  class_name: string;
  student_number: string;
  collection_code: string | null;
  education_category: 'regular' | 'adult';
  qualification_passed: number;
}

export function studentFromRow(r: StudentRow): Student {
  return {
    id: r.id,
    idNumber: r.id_number,
    name: r.name,
    gender: r.gender,
    birthDate: r.birth_date,
    schoolCode: r.school_code,
    educationLevel: r.education_level,
    major: r.major,
    department: r.department,
    className: r.class_name,
    studentNumber: r.student_number,
    collectionCode: r.collection_code,
    educationCategory: r.education_category,
    qualificationPassed: r.qualification_passed === 1,
  };
}

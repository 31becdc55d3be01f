/** 教育类别: 普通 (regular) or 成人 (adult) education. */
export type EducationCategory = 'regular' | 'adult';

/**
 * A graduate on the school's roster (资格审查 list from the provincial office), as stored.
 * `idNumber` is a valid GB 11643 number with an upper-case check character.
 */
export interface Student {
  id: number;
  idNumber: string;
  name: string;
  gender: 'M' | 'F';
  /** YYYY-MM-DD */
  birthDate: string;
  schoolCode: string;
  /** 学历层次, e.g. 本科, 专科, 硕士研究生 */
  educationLevel: string;
  major: string;
  /** 院系 */
  department: string;
  /** 班级 */
  className: string;
  /** 学号/考生号 */
  studentNumber: string;
  /** 采集码 text, when the roster carries it */
  collectionCode: string | null;
  educationCategory: EducationCategory;
  /** 资格审查 passed */
  qualificationPassed: boolean;
}

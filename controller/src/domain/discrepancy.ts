/**
 * 信息不符: a roster field the student says is wrong at the confirm step. The notice requires the
 * photographed graduate's details to match the registry record; a student who sees a wrong field is
 * still photographed, and staff settle the record with the provincial office afterwards.
 */
import type { MessageCode } from './messages/index.ts';

/** The fields on the confirm screen a student may flag (the ID number is shown masked but may be wrong too). */
export const discrepancyFields = ['name', 'gender', 'birthDate', 'major', 'department', 'className', 'school', 'idNumber'] as const;
export type DiscrepancyField = (typeof discrepancyFields)[number];

export function isDiscrepancyField(value: string): value is DiscrepancyField {
  return (discrepancyFields as readonly string[]).includes(value);
}

/** The flagged fields in screen order, each once; null when none is a known field. */
export function normaliseDiscrepancyFields(values: readonly string[]): DiscrepancyField[] | null {
  const picked = discrepancyFields.filter((f) => values.includes(f));
  return picked.length > 0 && values.every(isDiscrepancyField) ? picked : null;
}

/** One report, as staff see it. */
export interface Discrepancy {
  id: number;
  studentId: number;
  fields: DiscrepancyField[];
  /** ISO instant */
  reportedAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  note: string | null;
}

/** The catalogue label of each field (the confirm screen's, reused by staff pages and the manifest). */
export const discrepancyFieldLabel = {
  name: 'kiosk.ui.field.name', gender: 'kiosk.ui.field.gender', birthDate: 'kiosk.ui.field.birth_date', major: 'kiosk.ui.field.major',
  department: 'kiosk.ui.field.department', className: 'kiosk.ui.field.class_name', school: 'kiosk.ui.field.school', idNumber: 'kiosk.ui.field.id_number',
} as const satisfies Record<DiscrepancyField, MessageCode>;

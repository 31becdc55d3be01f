/** Assembles the `Schedule` the eligibility check needs for one student from the store. */
import type { ScheduleSource } from '../app/ports/kiosk.ts';
import type { Queryable } from './database.ts';
import type { Schedule } from '../domain/schedule.ts';
import type { Student } from '../domain/student.ts';
import { slotsForStudent, listMakeupWindows } from './schedule-repository.ts';
import { listCertificates } from './certificate-repository.ts';

export async function scheduleForStudent(q: Queryable, student: Pick<Student, 'department' | 'className' | 'idNumber'>, timeZone: string): Promise<Schedule> {
  const [slots, makeupWindows, certificates] = [
    await slotsForStudent(q, student),
    await listMakeupWindows(q),
    await listCertificates(q, { idNumber: student.idNumber }),
  ];
  return { timeZone, slots, makeupWindows, certificates };
}

/** The kiosk's schedule port over the store. */
export function sqlScheduleSource(q: Queryable, timeZone: string): ScheduleSource {
  return { scheduleFor: (student) => scheduleForStudent(q, student, timeZone) };
}

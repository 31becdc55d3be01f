/**
 * School staff who use the LAN service (教务处 office staff, administrators, capture-room technicians).
 * admin: everything, including the audit log; staff: rosters, progress, make-ups, overrides, export;
 * technician: the room itself (calibration, rig status), no personal data beyond who they are.
 */
export const staffRoles = ['admin', 'staff', 'technician'] as const;
export type StaffRole = (typeof staffRoles)[number];

export function isStaffRole(value: string): value is StaffRole {
  return (staffRoles as readonly string[]).includes(value);
}

export interface StaffUser {
  id: number;
  name: string;
  role: StaffRole;
}

/** Account names: letters, digits, dot, dash, underscore; they appear in the audit log. */
export const staffNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

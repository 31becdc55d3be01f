import type { Catalogue } from './catalogue.ts';

/** Reason codes and texts of the staff area. Keys are stable: the API returns them. */
export const staffMessages = {} as const satisfies Catalogue;

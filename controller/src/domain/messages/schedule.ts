import type { Catalogue } from './catalogue.ts';

/** Reason codes and texts of the schedule area. Keys are stable: the API returns them. */
export const scheduleMessages = {} as const satisfies Catalogue;

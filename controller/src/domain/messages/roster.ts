import type { Catalogue } from './catalogue.ts';

/** Reason codes and texts of the roster area. Keys are stable: the API returns them. */
export const rosterMessages = {} as const satisfies Catalogue;

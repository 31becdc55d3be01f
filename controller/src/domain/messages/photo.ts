import type { Catalogue } from './catalogue.ts';

/** Reason codes and texts of the photo area. Keys are stable: the API returns them. */
export const photoMessages = {} as const satisfies Catalogue;

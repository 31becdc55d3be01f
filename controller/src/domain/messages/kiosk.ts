import type { Catalogue } from './catalogue.ts';

/** Reason codes and texts of the kiosk area. Keys are stable: the API returns them. */
export const kioskMessages = {} as const satisfies Catalogue;

// Its own module: the screens need the type, and main.tsx renders at import, so they must not import main.tsx.

/** Sends one command; the answer (or its failure, as a toast) arrives by itself, so callers fire and forget. */
export type Send = (path: 'scan' | 'confirm' | 'capture' | 'accept' | 'retake' | 'cancel' | 'report-discrepancy', body?: unknown) => void;

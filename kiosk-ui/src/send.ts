// Its own module: the screens need the type, and main.tsx renders at import, so they must not import main.tsx.

/** A kiosk command as a screen sends it; App (main.tsx) supplies it and shows a refusal as a toast. */
export type Send = (path: 'scan' | 'confirm' | 'capture' | 'accept' | 'retake' | 'cancel', body?: unknown) => Promise<void>;

/**
 * Camera exposure as arithmetic: the body's setting values (`100`, `f/8`, `1/125`) turned into one
 * factor of light reaching the sensor, relative to ISO 100, f/8, 1/125 s (the simulated body's and a
 * typical studio start). Pure.
 */

/** The three settings that set exposure, as the body names their values. */
export interface ExposureSettings {
  iso: string;
  aperture: string;
  shutter: string;
}

export const referenceExposure: ExposureSettings = { iso: '100', aperture: 'f/8', shutter: '1/125' };

export function parseIso(v: string): number | null {
  const n = Number(v.trim());
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** `f/8`, `f8`, `8` -> 8. */
export function parseAperture(v: string): number | null {
  const n = Number(v.trim().replace(/^f\/?/i, ''));
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** `1/125`, `0.5`, `2`, `2s` -> seconds. */
export function parseShutter(v: string): number | null {
  const t = v.trim().replace(/s$/i, '');
  const m = /^(\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(t);
  const n = m ? Number(m[1]) / Number(m[2]) : Number(t);
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** Light on the sensor relative to the reference exposure (2 = one stop more); null when a value does not parse. */
export function exposureFactor(s: ExposureSettings): number | null {
  const iso = parseIso(s.iso), n = parseAperture(s.aperture), t = parseShutter(s.shutter);
  if (iso === null || n === null || t === null) return null;
  return (iso / 100) * (t * 125) * (8 / n) ** 2;
}

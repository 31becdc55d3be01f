/**
 * Colour maths for the photo checks: sRGB (D65) to CIELAB and the CIEDE2000 colour difference.
 * Formulas from CIE 15 and Sharma, Wu & Dalal (2005), "The CIEDE2000 colour-difference formula".
 */

export interface Lab {
  L: number;
  a: number;
  b: number;
}

export type Rgb = readonly [number, number, number];

/** sRGB companding inverse, 8-bit value to linear light; a table because it runs per pixel. */
const LINEAR: Float64Array = (() => {
  const t = new Float64Array(256);
  for (let i = 0; i < 256; i++) {
    const c = i / 255;
    t[i] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
  return t;
})();

// D65 reference white (CIE 15, 2-degree observer), the white point of sRGB.
const XN = 0.95047;
const YN = 1.0;
const ZN = 1.08883;

function labF(t: number): number {
  return t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116;
}

/** CIELAB of an 8-bit sRGB colour. */
export function rgbToLab(r: number, g: number, b: number): Lab {
  const R = LINEAR[clampByte(r)] ?? 0;
  const G = LINEAR[clampByte(g)] ?? 0;
  const B = LINEAR[clampByte(b)] ?? 0;
  const x = (0.4124564 * R + 0.3575761 * G + 0.1804375 * B) / XN;
  const y = (0.2126729 * R + 0.7151522 * G + 0.072175 * B) / YN;
  const z = (0.0193339 * R + 0.119192 * G + 0.9503041 * B) / ZN;
  const fx = labF(x);
  const fy = labF(y);
  const fz = labF(z);
  return { L: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz) };
}

/** Relative luminance L* (0..100) of an 8-bit sRGB colour: cheaper than a full Lab when only lightness matters. */
export function lightness(r: number, g: number, b: number): number {
  const y = 0.2126729 * (LINEAR[clampByte(r)] ?? 0) + 0.7151522 * (LINEAR[clampByte(g)] ?? 0) + 0.072175 * (LINEAR[clampByte(b)] ?? 0);
  return 116 * labF(y) - 16;
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** Hue angle in degrees (0..360) and chroma of a Lab colour. */
export function labHue(c: Lab): { hue: number; chroma: number } {
  const h = (Math.atan2(c.b, c.a) * 180) / Math.PI;
  return { hue: h < 0 ? h + 360 : h, chroma: Math.hypot(c.a, c.b) };
}

const DEG = Math.PI / 180;

/** CIEDE2000 difference between two Lab colours (kL = kC = kH = 1). */
export function deltaE2000(x: Lab, y: Lab): number {
  const C1 = Math.hypot(x.a, x.b);
  const C2 = Math.hypot(y.a, y.b);
  const Cbar = (C1 + C2) / 2;
  const Cbar7 = Math.pow(Cbar, 7);
  const G = 0.5 * (1 - Math.sqrt(Cbar7 / (Cbar7 + 6103515625))); // 25^7
  const a1 = (1 + G) * x.a;
  const a2 = (1 + G) * y.a;
  const C1p = Math.hypot(a1, x.b);
  const C2p = Math.hypot(a2, y.b);
  const h1p = hueDeg(x.b, a1);
  const h2p = hueDeg(y.b, a2);
  const dLp = y.L - x.L;
  const dCp = C2p - C1p;
  let dhp = 0;
  if (C1p * C2p !== 0) {
    dhp = h2p - h1p;
    if (dhp > 180) dhp -= 360;
    else if (dhp < -180) dhp += 360;
  }
  const dHp = 2 * Math.sqrt(C1p * C2p) * Math.sin((dhp / 2) * DEG);
  const Lbarp = (x.L + y.L) / 2;
  const Cbarp = (C1p + C2p) / 2;
  let hbarp = h1p + h2p;
  if (C1p * C2p !== 0) {
    if (Math.abs(h1p - h2p) <= 180) hbarp = (h1p + h2p) / 2;
    else hbarp = h1p + h2p < 360 ? (h1p + h2p + 360) / 2 : (h1p + h2p - 360) / 2;
  }
  const T =
    1 -
    0.17 * Math.cos((hbarp - 30) * DEG) +
    0.24 * Math.cos(2 * hbarp * DEG) +
    0.32 * Math.cos((3 * hbarp + 6) * DEG) -
    0.2 * Math.cos((4 * hbarp - 63) * DEG);
  const dTheta = 30 * Math.exp(-Math.pow((hbarp - 275) / 25, 2));
  const Cbarp7 = Math.pow(Cbarp, 7);
  const Rc = 2 * Math.sqrt(Cbarp7 / (Cbarp7 + 6103515625));
  const Sl = 1 + (0.015 * Math.pow(Lbarp - 50, 2)) / Math.sqrt(20 + Math.pow(Lbarp - 50, 2));
  const Sc = 1 + 0.045 * Cbarp;
  const Sh = 1 + 0.015 * Cbarp * T;
  const Rt = -Math.sin(2 * dTheta * DEG) * Rc;
  const l = dLp / Sl;
  const c = dCp / Sc;
  const h = dHp / Sh;
  return Math.sqrt(l * l + c * c + h * h + Rt * c * h);
}

function hueDeg(b: number, a: number): number {
  if (a === 0 && b === 0) return 0;
  const h = Math.atan2(b, a) / DEG;
  return h < 0 ? h + 360 : h;
}

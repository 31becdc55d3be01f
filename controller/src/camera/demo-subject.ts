/**
 * The demo subject (config/demo-subject.png, see NOTICE) cut out of its studio backdrop, so that the
 * simulated camera can stand her in front of the capture room's uniform background.
 *
 * The portrait has a flag, a shuttle model and a mottled grey backdrop behind her. The cut-out is a
 * hand-placed outline (head, collar ring, suit) refined by colour inside the head: the backdrop is
 * nearly neutral grey while hair and skin are warm, so "warm or dark" is person there. Coordinates
 * are for the 512x512 original; `assertShape` fails loudly if the file is ever swapped.
 */
import sharp from 'sharp';

export interface DemoSubject {
  /** RGBA, premultiplied-free, `width` x `height`. */
  rgba: Buffer;
  width: number;
  height: number;
  /** Horizontal centre of the face and top of the hair, in subject pixels: where the camera frames her. */
  faceCentreX: number;
  headTopY: number;
  eyeLineY: number;
}

const size = 512;
const head = { cx: 226, cy: 104, rx: 82, ry: 94 };
const collar = { cx: 208, cy: 224, rx: 102, ry: 76 };
const collarInner = { cx: 208, cy: 224, rx: 84, ry: 62 };
/** Suit outline below the collar ring, clockwise from the left shoulder. */
const suit: Array<[number, number]> = [
  [112, 248], [70, 290], [34, 350], [18, 420], [16, 512], [372, 512], [366, 330], [350, 286], [306, 246],
];

function insideEllipse(x: number, y: number, e: { cx: number; cy: number; rx: number; ry: number }): boolean {
  const dx = (x - e.cx) / e.rx;
  const dy = (y - e.cy) / e.ry;
  return dx * dx + dy * dy <= 1;
}

function insidePolygon(x: number, y: number, poly: Array<[number, number]>): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i] as [number, number];
    const [xj, yj] = poly[j] as [number, number];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Warm (hair, skin) or dark (hair in shadow): the grey backdrop is neither. */
function looksLikePerson(r: number, g: number, b: number): boolean {
  return r - b > 30 || r + g + b < 240;
}

export async function loadDemoSubject(file: string): Promise<DemoSubject> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size) {
    throw new Error(`demo subject ${file} is ${info.width}x${info.height}; the cut-out outline is drawn for ${size}x${size}`);
  }
  const mask = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 3;
      const r = data[i] as number, g = data[i + 1] as number, b = data[i + 2] as number;
      let on = y > 240 && insidePolygon(x, y, suit);
      if (!on && insideEllipse(x, y, collar)) {
        // The ring's inner metal is grey like the backdrop: only its outer upper rim is keyed by colour.
        on = (y >= 215 && x < 290) || y >= 250 || insideEllipse(x, y, collarInner) || looksLikePerson(r, g, b);
      }
      if (!on && insideEllipse(x, y, head)) on = looksLikePerson(r, g, b);
      mask[y * size + x] = on ? 255 : 0;
    }
  }
  // Fill holes row by row in the head (highlights in the hair), so the outline is solid.
  for (let y = head.cy - head.ry; y < collar.cy; y++) {
    let first = -1, last = -1;
    for (let x = 0; x < size; x++) if (mask[y * size + x]) { if (first < 0) first = x; last = x; }
    if (first >= 0) mask.fill(255, y * size + first, y * size + last + 1);
  }
  // Soft edge, as a real lens and a real hairline give.
  const alpha = await sharp(Buffer.from(mask), { raw: { width: size, height: size, channels: 1 } }).blur(1.2).extractChannel(0).raw().toBuffer();
  const rgba = Buffer.alloc(size * size * 4);
  for (let p = 0; p < size * size; p++) {
    rgba[p * 4] = data[p * 3] as number;
    rgba[p * 4 + 1] = data[p * 3 + 1] as number;
    rgba[p * 4 + 2] = data[p * 3 + 2] as number;
    rgba[p * 4 + 3] = alpha[p] as number;
  }
  let headTopY = 0;
  for (let y = 0; y < size && !headTopY; y++) {
    for (let x = head.cx - 40; x < head.cx + 40; x++) if ((mask[y * size + x] ?? 0) > 0) { headTopY = y; break; }
  }
  return { rgba, width: size, height: size, faceCentreX: head.cx, headTopY, eyeLineY: 120 };
}

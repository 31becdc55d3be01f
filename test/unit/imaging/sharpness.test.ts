import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { DecodedPhoto } from '../../../controller/src/imaging/decode.ts';
import { faceSharpness } from '../../../controller/src/imaging/sharpness.ts';

/** A detailed "face": deterministic texture (checks of several sizes) on a 400x400 square. */
async function textured(size: number, blur = 0, gain = 1): Promise<DecodedPhoto> {
  const cells: string[] = [];
  for (let i = 0; i < 40; i++) for (let j = 0; j < 40; j++) if ((i * 7 + j * 13) % 5 < 2) cells.push(`<rect x="${i * 10}" y="${j * 10}" width="${5 + ((i + j) % 5)}" height="${5 + ((i * j) % 5)}"/>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400"><rect width="400" height="400" fill="#c89070"/><g fill="#5a3020">${cells.join('')}</g></svg>`;
  let img = sharp(Buffer.from(svg)).resize(size, size).removeAlpha();
  if (blur) img = img.blur(blur);
  if (gain !== 1) img = img.linear(gain, 0);
  const pixels = await img.raw().toBuffer();
  return { width: size, height: size, pixels, decodedWidth: size, decodedHeight: size, shrink: 1 };
}

describe('face sharpness', () => {
  it('gives about the same figure for the same face at different sizes', async () => {
    const small = await faceSharpness(await textured(400), 0, 0, 400, 400);
    const large = await faceSharpness(await textured(1600), 0, 0, 1600, 1600);
    expect(small).toBeGreaterThan(2);
    expect(Math.abs(small - large) / small).toBeLessThan(0.25);
  });
  it('does not call a dark photo blurred, nor a dark face sharp: exposure and skin tone are normalised away', async () => {
    const normal = await faceSharpness(await textured(800), 0, 0, 800, 800);
    const dark = await faceSharpness(await textured(800, 0, 0.4), 0, 0, 800, 800);
    expect(Math.abs(dark - normal) / normal).toBeLessThan(0.15);
  });
  it('drops sharply when the face is out of focus', async () => {
    const sharpFace = await faceSharpness(await textured(800), 0, 0, 800, 800);
    const soft = await faceSharpness(await textured(800, 8), 0, 0, 800, 800);
    expect(soft).toBeLessThan(sharpFace / 5);
  });
  it('reports zero for a region too small to measure', async () => {
    expect(await faceSharpness(await textured(400), 0, 0, 4, 4)).toBe(0);
  });
});

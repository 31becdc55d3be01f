/**
 * Reference photos (参考照片, e.g. admission photos): JPEG or PNG files named by the student's ID
 * number, 采集码 or student number, enrolled as the face later captures are compared with. Which
 * names count, the code a name gives, and what one upload of them may cost.
 */
import { normaliseScannedCode } from '../capture-session.ts';

const PHOTO = /\.(jpe?g|png)$/i;

export const REFERENCE_PHOTO_LIMITS = {
  /** one staff upload: about 4,000 admission photos of 50 KB; a larger school sends several ZIPs */
  uploadBytes: 200 * 1024 * 1024,
  /** one photo: admission photos are 20-200 KB, a camera's full-size JPEG 5-15 MB */
  photoBytes: 20 * 1024 * 1024,
  /** files in one ZIP: a whole university's intake */
  zipEntries: 100_000,
  /** a ZIP's files unpacked, all together: JPEG and PNG hardly compress, so a real ZIP unpacks to about its own size */
  unpackedBytes: 1024 * 1024 * 1024,
  /** expansion of one file over 1 MB: photos shrink less than twofold, bombs by hundreds */
  compressionRatio: 100,
} as const;

/** The name without its folders, whichever separator: a ZIP entry's path never reaches further. */
export function referenceFileName(path: string): string {
  return path.split(/[/\\]/).pop() ?? '';
}

/** A JPEG or PNG by its name; hidden files (such as macOS's `._photo.jpg` companions) are not photos. */
export function isReferencePhotoName(path: string): boolean {
  const name = referenceFileName(path);
  return PHOTO.test(name) && !name.startsWith('.');
}

/** The code a photo's name stands for: the name without its extension, read as a scanned code is. */
export function referenceCode(name: string): string {
  return normaliseScannedCode(name.replace(PHOTO, ''));
}

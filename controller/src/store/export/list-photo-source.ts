import type { AcceptedPhoto, AcceptedPhotoSource, PhotoFilter } from '../../app/ports/accepted-photos.ts';

/** An in-memory source: tests, the benchmark, and tools that build a batch by hand. */
export class ListPhotoSource implements AcceptedPhotoSource {
  constructor(private readonly photos: readonly AcceptedPhoto[]) {}

  async list(f: PhotoFilter): Promise<AcceptedPhoto[]> {
    const out = this.photos
      .filter((p) => p.date === f.date)
      .filter((p) => f.department === undefined || p.student.department === f.department)
      .filter((p) => f.className === undefined || p.student.className === f.className)
      .filter((p) => f.afterSequence === undefined || p.sequence > f.afterSequence)
      .filter((p) => !f.makeupOnly || p.makeup !== undefined)
      .sort((a, b) => (f.makeupOnly ? (a.makeup?.certificateId ?? 0) - (b.makeup?.certificateId ?? 0) : 0) || a.sequence - b.sequence);
    return f.limit === undefined ? out : out.slice(0, f.limit);
  }

  async get(date: string, sequence: number): Promise<AcceptedPhoto | undefined> {
    return this.photos.find((p) => p.date === date && p.sequence === sequence);
  }
}

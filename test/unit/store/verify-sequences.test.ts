import { describe, expect, it } from 'vitest';
import { sequenceProblems } from '../../../controller/src/store/verify.ts';

const rows = (day: string, school: string, ...seqs: number[]) => seqs.map((sequence) => ({ day, school_code: school, sequence }));

describe('sequence numbers per day and school', () => {
  it('accepts 1..n in each run, runs counted separately', () => {
    const r = sequenceProblems([...rows('2026-06-10', '10000', 1, 2, 3), ...rows('2026-06-10', '10001', 1), ...rows('2026-06-11', '10000', 1, 2)]);
    expect(r).toEqual({ problems: [], runs: 3 });
  });

  it('reports a gap (a number never given) and a repeat, naming the day and school', () => {
    const r = sequenceProblems([...rows('2026-06-10', '10000', 1, 3, 3, 5)]);
    expect(r.problems).toEqual([
      { code: 'verify.sequence.duplicate', path: null, detail: 'day 2026-06-10, school 10000: sequence 3 given 2 times' },
      { code: 'verify.sequence.gap', path: null, detail: 'day 2026-06-10, school 10000: missing 2, 4 (highest 5)' },
    ]);
  });

  it('a run that does not start at 1 has a gap', () => {
    expect(sequenceProblems(rows('2026-06-10', '10000', 2)).problems.map((p) => p.code)).toEqual(['verify.sequence.gap']);
  });
});

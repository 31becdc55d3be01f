import { describe, expect, it } from 'vitest';
import { message, messages } from '../../controller/src/domain/messages/index.ts';

describe('message catalogue', () => {
  it('has both languages for every code', () => {
    for (const [code, m] of Object.entries(messages)) {
      expect(m.zh.trim(), code).not.toBe('');
      expect(m.en.trim(), code).not.toBe('');
    }
  });
  it('shows an unknown code rather than nothing', () => {
    expect(message('no.such.code')).toBe('no.such.code');
  });
});

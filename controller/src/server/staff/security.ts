/**
 * The path-traversal guard every staff parameter passes through (headers and cookies: server/http-hardening.ts).
 */

/**
 * True when a parameter value could address a file outside where it is meant to: `..` segments,
 * separators, NUL, absolute or drive paths, home references. Checked on decoded values, so `%2e%2e%2f`
 * and double encodings that decode to them are caught too.
 */
export function looksLikePath(value: string): boolean {
  let v = value;
  // Double-encoded input (%252e) decodes to %2e once; decode until stable, a few rounds at most.
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(v); i++) {
    try {
      v = decodeURIComponent(v);
    } catch {
      return true;
    }
  }
  return (
    /(^|[/\\])\.\.([/\\]|$)/.test(v) ||
    /[/\\\0]/.test(v) ||
    /^[A-Za-z]:/.test(v) ||
    v.startsWith('~') ||
    v === '..'
  );
}

/** The raw request path holds a `..` segment, plain or percent-encoded. */
export function rawPathTraverses(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path.split('/').some((segment) => {
    let s = segment;
    for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(s); i++) {
      try {
        s = decodeURIComponent(s);
      } catch {
        return true;
      }
    }
    return s.split(/[/\\]/).includes('..') || s.includes('\0');
  });
}

/** Line drawings for the dress check: the student sees what is meant without reading. */
import type { ComponentChildren } from 'preact';
const stroke = { fill: 'none', stroke: 'currentColor', 'stroke-width': 5, 'stroke-linecap': 'round', 'stroke-linejoin': 'round' } as const;

function Head({ children }: { children?: ComponentChildren }) {
  return (
    <svg viewBox="0 0 120 120" width="120" height="120" aria-hidden="true">
      <circle cx="60" cy="52" r="24" {...stroke} />
      <path d="M22 116c4-24 20-34 38-34s34 10 38 34" {...stroke} />
      {children}
    </svg>
  );
}

const cross = <path d="M14 14l92 92" stroke="#d7263d" stroke-width="7" stroke-linecap="round" />;

export function DressPicture({ kind }: { kind: 'contrast' | 'no_hat' | 'no_tinted' | 'no_jewellery' }) {
  switch (kind) {
    case 'contrast':
      return (
        <svg viewBox="0 0 120 120" width="120" height="120" aria-hidden="true">
          <rect x="4" y="4" width="112" height="112" rx="10" fill="#64c5ff" />
          <circle cx="60" cy="50" r="22" fill="#f1c9a5" />
          <path d="M20 116c4-26 20-36 40-36s36 10 40 36z" fill="#2d3142" />
        </svg>
      );
    case 'no_hat':
      return <Head><path d="M30 40h60M38 40c0-18 44-18 44 0" {...stroke} />{cross}</Head>;
    case 'no_tinted':
      return <Head><rect x="38" y="44" width="18" height="12" rx="4" fill="#333" /><rect x="64" y="44" width="18" height="12" rx="4" fill="#333" /><path d="M56 50h8" {...stroke} />{cross}</Head>;
    case 'no_jewellery':
      return <Head><circle cx="35" cy="64" r="5" {...stroke} /><circle cx="85" cy="64" r="5" {...stroke} /><path d="M44 84c6 10 26 10 32 0" {...stroke} />{cross}</Head>;
  }
}

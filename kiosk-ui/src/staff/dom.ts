/**
 * The only way the staff pages build DOM: elements with attributes and children, where every
 * string child becomes a text node. Roster data is hostile input and is never parsed as HTML
 * (no innerHTML anywhere in the staff pages).
 */
export type Child = Node | string | number | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | ((e: Event) => void)> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === 'function') node.addEventListener(key.replace(/^on/, ''), value);
    else if (value === true) node.setAttribute(key, '');
    else if (value !== false) {
      // Event-handler and style attributes would be code or inline style: refused outright.
      if (/^on/i.test(key) || key === 'style') throw new Error(`attribute ${key} is not allowed`);
      node.setAttribute(key, value);
    }
  }
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

export function table(headers: string[], rows: Child[][]): HTMLTableElement {
  return el('table', {},
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))));
}

/**
 * Hands off a page action started from an event handler: its failure has no caller to reach, so it
 * is shown in the page's alert line (created on first use) rather than lost.
 */
export function detach(work: Promise<unknown>): void {
  work.catch((err: unknown) => {
    let line = document.getElementById('page-alert');
    if (!line) {
      line = el('p', { id: 'page-alert', class: 'error', role: 'alert' });
      document.body.prepend(line);
    }
    replace(line, err instanceof Error ? err.message : String(err));
  });
}

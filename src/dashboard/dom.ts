// The dashboard's whole view layer: h() builds elements, text is always set
// as text (never parsed as HTML), and a view re-renders its own parts.

export type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, unknown>;

const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'required', 'hidden', 'open', 'readOnly']);

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (PROPS.has(k)) (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k === 'className' ? 'class' : k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replaces the children of `el`. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

let ids = 0;
/** A unique element id, for label/aria wiring. */
export const uid = (prefix = 'f') => `${prefix}-${++ids}`;

/** A labelled form field: <div class=field><label for>…</label><input id>…<small>hint</small></div>. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  control.id ||= uid();
  const hintEl = hint ? h('small', { id: `${control.id}-hint`, class: 'hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  if (control instanceof HTMLInputElement && control.type === 'checkbox') {
    return h('div', { class: 'field check' }, control, h('label', { for: control.id }, label), hintEl);
  }
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

export function input(attrs: Attrs = {}): HTMLInputElement {
  return h('input', { type: 'text', ...attrs });
}

export function select(options: { value: string; label: string }[], value: string, attrs: Attrs = {}): HTMLSelectElement {
  return h('select', attrs, ...options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.label)));
}

/** A table with a caption (visually hidden when `hideCaption`), a header row and body rows. */
export function table(caption: string, head: string[], rows: Child[][], opts: { hideCaption?: boolean; empty?: string; class?: string } = {}): HTMLElement {
  const t = h(
    'table',
    { class: opts.class },
    h('caption', { class: opts.hideCaption ? 'sr-only' : undefined }, caption),
    h('thead', null, h('tr', null, ...head.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      null,
      rows.length === 0
        ? h('tr', null, h('td', { colspan: head.length, class: 'empty' }, opts.empty ?? 'None yet.'))
        : rows.map((r) => h('tr', null, ...r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', null, c))))),
    ),
  );
  return h('div', { class: 'table-wrap' }, t);
}

/** A section with a heading, for the page outline. */
export function section(title: string, ...children: Child[]): HTMLElement {
  const id = uid('s');
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

export function textarea(attrs: Attrs = {}): HTMLTextAreaElement {
  return h('textarea', attrs);
}

/**
 * The one way both Live Help screens build DOM: elements with attributes set as properties
 * and children added as nodes, so any text (names, topics, messages) is a text node and is
 * never parsed as HTML.
 */
type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string | number | boolean | ((event: Event) => void)>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (typeof value === 'function') element.addEventListener(key.replace(/^on/, ''), value);
    else if (key === 'class') element.className = String(value);
    else if (key.startsWith('data-') || key.startsWith('aria-') || key === 'role') {
      element.setAttribute(key, String(value));
    } else if (value !== undefined) Reflect.set(element, key, value);
  }
  element.append(...children.filter((child): child is Node | string => Boolean(child)));

  return element;
}

/** Replaces an element's children. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((child): child is Node | string => Boolean(child)));
}

/** A web link we are willing to follow or show as a link: http or https only. */
export function safeWebUrl(value: string): string | undefined {
  try {
    const url = new URL(value);

    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

export function newClientId(): string {
  return crypto.randomUUID();
}

import { parseCapTime } from './cap-time';
import type { CapIssue, CapSourceVersion, CapTime, CapValuePair } from './cap.types';
import { XMLDSIG_NAMESPACE } from './cap-versions';
import type { XmlElement } from './xml/xml-reader';

/** How often a child element may appear: the CAP 1.2 XSD's minOccurs/maxOccurs. */
export type Occurs = 'required' | 'optional' | 'repeated' | 'requiredRepeated';

/** What one import collects: problems, remarks, and facts noticed on the way. */
export class CapContext {
  readonly errors: CapIssue[] = [];
  readonly warnings: CapIssue[] = [];
  signed = false;

  constructor(
    readonly ns: string,
    readonly version: CapSourceVersion,
  ) {}

  error(element: string, message: string): void {
    this.errors.push({ element, message });
  }

  warn(element: string, message: string): void {
    this.warnings.push({ element, message });
  }
}

/** A child element with its path, e.g. `alert/info[0]/area[1]`. */
export interface Located {
  readonly element: XmlElement;
  readonly path: string;
}

/**
 * One CAP container element read against its rules: children grouped by local name (a Map,
 * so no element name ever becomes an object key), unknown children and cardinality errors
 * reported once, then typed accessors. Accessors record errors and return placeholders; the
 * caller discards the result when the context holds any error.
 */
export class CapNode {
  private readonly children = new Map<string, XmlElement[]>();

  constructor(
    readonly element: XmlElement,
    readonly path: string,
    readonly ctx: CapContext,
    private readonly rules: ReadonlyMap<string, Occurs>,
  ) {
    this.group();
    this.checkCardinality();
  }

  /** All children of that name, each with its indexed path. */
  all(name: string): Located[] {
    const found = this.children.get(name) ?? [];

    return found.map((element, i) => ({ element, path: `${this.path}/${name}[${i}]` }));
  }

  /** The text of an optional element; absent or empty (after trimming) gives undefined. */
  text(name: string): string | undefined {
    const element = this.children.get(name)?.[0];
    if (!element) return undefined;
    const text = leafText(element, `${this.path}/${name}`, this.ctx);

    return text === '' ? undefined : text;
  }

  /** The text of a required element; absent or empty is an error. */
  requiredText(name: string): string {
    const text = this.text(name);
    if (text === undefined && this.children.has(name)) {
      this.ctx.error(`${this.path}/${name}`, 'required element is empty');
    }

    return text ?? '';
  }

  /** The texts of a repeated element, empty ones left out. */
  texts(name: string): { text: string; path: string }[] {
    return this.all(name)
      .map((child) => ({ text: leafText(child.element, child.path, this.ctx), path: child.path }))
      .filter((child) => child.text !== '');
  }

  /** A required enumerated value. */
  enumValue<T extends string>(name: string, values: readonly T[]): T {
    const path = `${this.path}/${name}`;
    const element = this.children.get(name)?.[0];
    if (!element) return '' as T;
    const text = leafText(element, path, this.ctx);

    return checkEnum(text, values, path, this.ctx);
  }

  /** An optional CAP time; errors when malformed. */
  time(name: string): CapTime | undefined {
    const text = this.text(name);
    if (text === undefined) return undefined;
    const result = parseCapTime(text, this.ctx.version);
    if ('error' in result) this.ctx.error(`${this.path}/${name}`, result.error);

    return 'time' in result ? result.time : undefined;
  }

  /** A valueName/value pair element (eventCode, parameter, geocode). */
  static valuePair(located: Located, ctx: CapContext): CapValuePair {
    const node = new CapNode(located.element, located.path, ctx, VALUE_PAIR_RULES);

    return { valueName: node.text('valueName') ?? '', value: node.text('value') ?? '' };
  }

  private group(): void {
    for (const child of this.element.children) {
      if (child.ns === XMLDSIG_NAMESPACE && this.path === 'alert') {
        this.ctx.signed = true;
        continue;
      }
      const path = `${this.path}/${child.local}`;
      if (child.ns !== this.ctx.ns) {
        this.ctx.error(path, `element from namespace "${child.ns}" is not allowed here`);
      } else if (!this.rules.has(child.local)) {
        this.ctx.error(path, `<${child.local}> is not a CAP element here`);
      } else {
        const list = this.children.get(child.local) ?? [];
        list.push(child);
        this.children.set(child.local, list);
      }
    }
  }

  private checkCardinality(): void {
    for (const [name, occurs] of this.rules) {
      const count = this.children.get(name)?.length ?? 0;
      const required = occurs === 'required' || occurs === 'requiredRepeated';
      const single = occurs === 'required' || occurs === 'optional';
      if (required && count === 0) {
        this.ctx.error(`${this.path}/${name}`, 'required element is missing');
      }
      if (single && count > 1) {
        this.ctx.error(`${this.path}/${name}[1]`, `<${name}> may appear only once`);
      }
    }
  }
}

/** Checks one enumerated value; the placeholder returned on error is never used. */
export function checkEnum<T extends string>(
  text: string,
  values: readonly T[],
  path: string,
  ctx: CapContext,
): T {
  if (text === '') {
    ctx.error(path, `value is empty; expected one of ${values.join(', ')}`);
  } else if (!(values as readonly string[]).includes(text)) {
    ctx.error(path, `"${clip(text)}" is not one of ${values.join(', ')}`);
  }

  return text as T;
}

/** The trimmed text of an element that must hold text only. */
export function leafText(element: XmlElement, path: string, ctx: CapContext): string {
  if (element.children.length > 0) {
    ctx.error(path, 'must hold text, not elements');

    return '';
  }

  return element.text.trim();
}

export function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

export function rules(entries: Record<string, Occurs>): ReadonlyMap<string, Occurs> {
  return new Map(Object.entries(entries));
}

const VALUE_PAIR_RULES = rules({ valueName: 'required', value: 'required' });

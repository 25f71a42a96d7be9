/**
 * A minimal XML writer for the documents we produce (CAP, Atom): elements, attributes and
 * escaped text, indented two spaces. Characters XML cannot carry are replaced by U+FFFD so the
 * output is always well-formed.
 */

const ILLEGAL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXmlText(text: string): string {
  return text
    .replace(ILLEGAL_CHARS, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

export type XmlAttributes = Readonly<Record<string, string | undefined>>;

export class XmlWriter {
  private readonly lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  private depth = 0;

  open(name: string, attributes: XmlAttributes = {}): this {
    this.lines.push(`${this.indent()}<${name}${formatAttributes(attributes)}>`);
    this.depth += 1;

    return this;
  }

  close(name: string): this {
    this.depth -= 1;
    this.lines.push(`${this.indent()}</${name}>`);

    return this;
  }

  /** `<name>text</name>`; nothing when the text is undefined or empty. */
  leaf(name: string, text: string | undefined, attributes: XmlAttributes = {}): this {
    if (text === undefined || text === '') return this;

    return this.leafAlways(name, text, attributes);
  }

  /** `<name>text</name>` even for an empty text. */
  leafAlways(name: string, text: string, attributes: XmlAttributes = {}): this {
    const attrs = formatAttributes(attributes);
    this.lines.push(`${this.indent()}<${name}${attrs}>${escapeXmlText(text)}</${name}>`);

    return this;
  }

  empty(name: string, attributes: XmlAttributes): this {
    this.lines.push(`${this.indent()}<${name}${formatAttributes(attributes)}/>`);

    return this;
  }

  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }

  private indent(): string {
    return '  '.repeat(this.depth);
  }
}

function formatAttributes(attributes: XmlAttributes): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(value)}"`)
    .join('');
}

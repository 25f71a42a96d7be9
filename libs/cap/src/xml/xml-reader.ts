/**
 * A small, strict, namespace-aware XML 1.0 reader that builds an element tree.
 *
 * Why our own: the XML library the team planned on (fast-xml-parser) is not installed, and CAP
 * needs only a well-defined subset of XML. The subset is deliberately narrow:
 * - a DOCTYPE anywhere is refused, so no DTD is read, no entity is declared or expanded
 *   (no billion laughs, no external entities, nothing is ever fetched);
 * - only the five predefined entities and numeric character references are decoded;
 * - element and attribute names never become object keys (children are arrays, attributes a
 *   list), so `__proto__` or `constructor` elements cannot pollute any prototype;
 * - well-formedness is checked: matching tags, one root, quoted unique attributes, legal
 *   characters, declared namespace prefixes; nesting depth is bounded.
 * Elements are identified by namespace URI plus local name, never by their literal prefix.
 */

export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** Deeper nesting is refused; CAP needs about 6 levels, an XML signature about 8. */
export const XML_MAX_DEPTH = 64;

export interface XmlAttribute {
  readonly name: string;
  readonly value: string;
}

export interface XmlElement {
  /** Namespace URI, '' when the element is in no namespace. */
  readonly ns: string;
  readonly local: string;
  /** The name as written, prefix included. */
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: XmlElement[];
  /** Character data directly inside the element (text and CDATA sections, concatenated). */
  text: string;
}

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'XmlSyntaxError';
  }
}

const NAME_START =
  'A-Za-z_\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF' +
  '\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NAME = new RegExp(`[${NAME_START}:][${NAME_CHAR}:]*`, 'y');
const SPACE = /[ \t\n]*/y;
const ILLEGAL_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const XML_DECL = /^<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.\d+\1[^?]*\?>/;

interface OpenElement {
  readonly element: XmlElement;
  readonly scope: ReadonlyMap<string, string>;
}

/** Parses a whole document held in a string (already decoded) and returns its root. */
export function readXml(source: string): XmlElement {
  return new XmlReader(source).read();
}

class XmlReader {
  private readonly src: string;
  private pos = 0;
  private root: XmlElement | undefined;
  private readonly stack: OpenElement[] = [];

  constructor(source: string) {
    // XML processors normalize line ends before anything else (XML 1.0 section 2.11).
    this.src = source.replace(/\r\n?/g, '\n');
  }

  read(): XmlElement {
    this.readDeclaration();
    while (this.pos < this.src.length) this.readNode();
    if (!this.root) this.fail('the document has no root element');
    if (this.stack.length > 0) this.fail(`<${this.top().element.name}> is never closed`);

    return this.root;
  }

  private readDeclaration(): void {
    if (!this.src.startsWith('<?xml')) return;
    const match = XML_DECL.exec(this.src);
    if (!match) this.fail('malformed XML declaration');
    this.pos = match[0].length;
  }

  private readNode(): void {
    const lt = this.src.indexOf('<', this.pos);
    const end = lt < 0 ? this.src.length : lt;
    if (end > this.pos) this.readText(this.src.slice(this.pos, end));
    this.pos = end;
    if (lt < 0) return;

    const next = this.src.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) this.readEndTag();
    else if (next === 0x3f /* ? */) this.readProcessingInstruction();
    else if (next === 0x21 /* ! */) this.readMarkupDeclaration();
    else this.readStartTag();
  }

  private readText(raw: string): void {
    const open = this.stack.length > 0 ? this.top() : undefined;
    if (!open) {
      if (/[^ \t\n]/.test(raw)) this.fail('text outside the root element');

      return;
    }
    if (ILLEGAL_CHAR.test(raw)) this.fail('a character that XML does not allow');
    if (raw.includes(']]>')) this.fail('"]]>" in text');
    open.element.text += this.decodeReferences(raw);
  }

  private readMarkupDeclaration(): void {
    if (this.src.startsWith('<!--', this.pos)) return this.readComment();
    if (this.src.startsWith('<![CDATA[', this.pos)) return this.readCdata();
    if (this.src.startsWith('<!DOCTYPE', this.pos)) {
      this.fail('a DOCTYPE is refused: DTDs and entity declarations are never processed');
    }
    this.fail('unexpected "<!"');
  }

  private readComment(): void {
    const end = this.src.indexOf('-->', this.pos + 4);
    if (end < 0) this.fail('unterminated comment');
    if (this.src.slice(this.pos + 4, end).includes('--')) this.fail('"--" inside a comment');
    this.pos = end + 3;
  }

  private readCdata(): void {
    const open = this.stack.length > 0 ? this.top() : undefined;
    if (!open) this.fail('CDATA section outside the root element');
    const end = this.src.indexOf(']]>', this.pos + 9);
    if (end < 0) this.fail('unterminated CDATA section');
    const raw = this.src.slice(this.pos + 9, end);
    if (ILLEGAL_CHAR.test(raw)) this.fail('a character that XML does not allow');
    open.element.text += raw;
    this.pos = end + 3;
  }

  private readProcessingInstruction(): void {
    this.pos += 2;
    const target = this.readName();
    if (target.toLowerCase() === 'xml') this.fail('XML declaration not at the start');
    const end = this.src.indexOf('?>', this.pos);
    if (end < 0) this.fail('unterminated processing instruction');
    this.pos = end + 2;
  }

  private readStartTag(): void {
    if (this.root && this.stack.length === 0) this.fail('a second root element');
    if (this.stack.length >= XML_MAX_DEPTH) this.fail(`elements nested over ${XML_MAX_DEPTH}`);
    this.pos += 1;
    const name = this.readName();
    const attributes = this.readAttributes();
    const selfClosing = this.src.startsWith('/>', this.pos);
    if (!selfClosing && this.src[this.pos] !== '>') this.fail(`malformed start tag <${name}>`);
    this.pos += selfClosing ? 2 : 1;

    const parent = this.stack.length > 0 ? this.top() : undefined;
    const scope = this.declareNamespaces(parent?.scope, attributes);
    const element = this.makeElement(name, attributes, scope);
    if (parent) parent.element.children.push(element);
    else this.root = element;
    if (!selfClosing) this.stack.push({ element, scope });
  }

  private readEndTag(): void {
    this.pos += 2;
    const name = this.readName();
    this.skipSpace();
    if (this.src[this.pos] !== '>') this.fail(`malformed end tag </${name}>`);
    this.pos += 1;
    const open = this.stack.pop();
    if (!open) this.fail(`</${name}> closes nothing`);
    if (open.element.name !== name) this.fail(`</${name}> closes <${open.element.name}>`);
  }

  private readAttributes(): XmlAttribute[] {
    const attributes: XmlAttribute[] = [];
    const seen = new Set<string>();
    for (;;) {
      const before = this.pos;
      this.skipSpace();
      const c = this.src[this.pos];
      if (c === '>' || c === '/' || c === undefined) return attributes;
      if (this.pos === before) this.fail('attributes must be separated by white space');
      const name = this.readName();
      if (seen.has(name)) this.fail(`attribute ${name} appears twice`);
      seen.add(name);
      attributes.push({ name, value: this.readAttributeValue(name) });
    }
  }

  private readAttributeValue(name: string): string {
    this.skipSpace();
    if (this.src[this.pos] !== '=') this.fail(`attribute ${name} has no value`);
    this.pos += 1;
    this.skipSpace();
    const quote = this.src[this.pos];
    if (quote !== '"' && quote !== "'") this.fail(`attribute ${name} is not quoted`);
    const end = this.src.indexOf(quote, this.pos + 1);
    if (end < 0) this.fail(`attribute ${name} is not terminated`);
    const raw = this.src.slice(this.pos + 1, end);
    if (raw.includes('<')) this.fail(`"<" in the value of attribute ${name}`);
    if (ILLEGAL_CHAR.test(raw)) this.fail('a character that XML does not allow');
    this.pos = end + 1;

    return this.decodeReferences(raw.replace(/[\t\n]/g, ' '));
  }

  private declareNamespaces(
    inherited: ReadonlyMap<string, string> | undefined,
    attributes: readonly XmlAttribute[],
  ): ReadonlyMap<string, string> {
    let scope =
      inherited ??
      new Map([
        ['xml', XML_NAMESPACE],
        ['', ''],
      ]);
    for (const { name, value } of attributes) {
      if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
      const prefix = name === 'xmlns' ? '' : name.slice(6);
      if (prefix !== '' && value === '') this.fail(`prefix ${prefix} bound to an empty URI`);
      if (scope === inherited) scope = new Map(inherited);
      (scope as Map<string, string>).set(prefix, value);
    }

    return scope;
  }

  private makeElement(
    name: string,
    attributes: readonly XmlAttribute[],
    scope: ReadonlyMap<string, string>,
  ): XmlElement {
    const { prefix, local } = this.splitName(name);
    for (const attribute of attributes) {
      const parts = this.splitName(attribute.name);
      if (parts.prefix && parts.prefix !== 'xmlns' && !scope.has(parts.prefix)) {
        this.fail(`namespace prefix "${parts.prefix}" is not declared`);
      }
    }
    const ns = scope.get(prefix);
    if (ns === undefined) this.fail(`namespace prefix "${prefix}" is not declared`);

    return { ns, local, name, attributes, children: [], text: '' };
  }

  private splitName(name: string): { prefix: string; local: string } {
    const colon = name.indexOf(':');
    if (colon < 0) return { prefix: '', local: name };
    const local = name.slice(colon + 1);
    if (colon === 0 || local === '' || local.includes(':')) this.fail(`bad name "${name}"`);

    return { prefix: name.slice(0, colon), local };
  }

  private decodeReferences(raw: string): string {
    if (!raw.includes('&')) return raw;
    let out = '';
    let from = 0;
    for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', from)) {
      const semi = raw.indexOf(';', amp);
      if (semi < 0 || semi - amp > 32) this.fail('"&" that starts no reference');
      out += raw.slice(from, amp) + this.resolveReference(raw.slice(amp + 1, semi));
      from = semi + 1;
    }

    return out + raw.slice(from);
  }

  private resolveReference(ref: string): string {
    switch (ref) {
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'amp':
        return '&';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
    }
    const code = /^#x[0-9a-fA-F]+$/.test(ref)
      ? parseInt(ref.slice(2), 16)
      : /^#[0-9]+$/.test(ref)
        ? parseInt(ref.slice(1), 10)
        : undefined;
    if (code === undefined) {
      this.fail(`entity &${ref}; is not defined (only the five XML entities are accepted)`);
    }
    if (!isXmlChar(code)) this.fail(`&${ref}; is not a legal XML character`);

    return String.fromCodePoint(code);
  }

  private readName(): string {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.src);
    if (!match) this.fail('a name was expected');
    this.pos = NAME.lastIndex;

    return match[0];
  }

  private skipSpace(): void {
    SPACE.lastIndex = this.pos;
    SPACE.exec(this.src);
    this.pos = SPACE.lastIndex;
  }

  private top(): OpenElement {
    return this.stack[this.stack.length - 1]!;
  }

  private fail(message: string): never {
    let line = 1;
    for (
      let i = this.src.indexOf('\n');
      i >= 0 && i < this.pos;
      i = this.src.indexOf('\n', i + 1)
    ) {
      line += 1;
    }
    throw new XmlSyntaxError(message, line);
  }
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

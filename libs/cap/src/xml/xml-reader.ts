import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * A strict, namespace-aware XML 1.0 reader that builds an element tree, on fast-xml-parser.
 *
 * fast-xml-parser tokenizes and checks tag balance and attributes; around it, this module
 * keeps the rules CAP input needs and the library leaves open:
 * - a DOCTYPE anywhere is refused before parsing, so no DTD is read, no entity is declared or
 *   expanded (no billion laughs, no external entities, nothing is ever fetched);
 * - the library's entity processing is off; only the five predefined entities and numeric
 *   character references are decoded, here, and any other reference is refused;
 * - tag and attribute names reach the library's objects behind a marker character that no XML
 *   name can start with, so `__proto__`, `constructor` or `prototype` are plain keys and can
 *   pollute nothing; in the tree children are arrays and attributes a list;
 * - what the library's validator accepts but XML forbids is refused: a second root, text
 *   outside the root, illegal characters, `<` in attribute values, `]]>` in text, `--` in
 *   comments, a misplaced XML declaration, undeclared namespace prefixes, deep nesting.
 * Elements are identified by namespace URI plus local name, never by their literal prefix:
 * prefixes are resolved against the `xmlns` declarations in scope, then dropped.
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
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'XmlSyntaxError';
  }
}

/** Prefixed to every tag and attribute name the library stores as an object key. */
const MARK = '\u0001';
const TEXT = '#text';
const CDATA = '#cdata';
const COMMENT = '#comment';
const ATTRIBUTES = ':@';
const ILLEGAL_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

const PARSER = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded by this module (the five predefined ones and character references).
  processEntities: false,
  htmlEntities: false,
  ignoreDeclaration: false,
  ignorePiTags: false,
  cdataPropName: CDATA,
  commentPropName: COMMENT,
  maxNestedTags: XML_MAX_DEPTH * 2,
  transformTagName: (name: string) => MARK + name,
  transformAttributeName: (name: string) => MARK + name,
});

/** One node of the library's ordered output: `{ [name]: children, ':@'?: attributes }`. */
type OrderedNode = Record<string, unknown>;

/** Parses a whole document held in a string (already decoded) and returns its root. */
export function readXml(source: string): XmlElement {
  // XML processors normalize line ends before anything else (XML 1.0 section 2.11).
  const src = source.replace(/\r\n?/g, '\n');
  checkBeforeParsing(src);

  const valid = XMLValidator.validate(src, { allowBooleanAttributes: false });
  if (valid !== true) throw new XmlSyntaxError(validatorMessage(valid.err.msg), valid.err.line);
  // The library drops text before the first tag and after the last one without a word.
  const outside = src.slice(0, src.indexOf('<')) + src.slice(src.lastIndexOf('>') + 1);
  if (/[^ \t\n]/.test(outside)) fail('text outside the root element');
  let nodes: OrderedNode[];
  try {
    nodes = PARSER.parse(src) as OrderedNode[];
  } catch (error) {
    throw new XmlSyntaxError((error as Error).message);
  }

  return new TreeBuilder(src).build(nodes);
}

/** What must be refused before the library sees the text. */
function checkBeforeParsing(src: string): void {
  // Anywhere, even in a comment: a document that mentions one is refused rather than risked.
  if (src.includes('<!DOCTYPE')) {
    fail('a DOCTYPE is refused: DTDs and entity declarations are never processed');
  }
  if (ILLEGAL_CHAR.test(src)) fail('a character that XML does not allow');
  if (!src.includes('<')) fail('the document has no root element');
}

/** The validator's messages, in the words the rest of the reader uses where they differ. */
function validatorMessage(message: string): string {
  const closes = /^Expected closing tag '([^']+)' .* instead of closing tag '([^']+)'/.exec(
    message,
  );
  if (closes) return `</${closes[2]}> closes <${closes[1]}>`;
  const unclosed = /^Unclosed tag '([^']+)'/.exec(message);
  if (unclosed) return `<${unclosed[1]}> is never closed`;
  const repeated = /^Attribute '([^']+)' is repeated/.exec(message);
  if (repeated) return `attribute ${repeated[1]} appears twice`;
  const noValue = /^Attribute '([^']+)' is without value/.exec(message);
  if (noValue) return `attribute ${noValue[1]} is not quoted or has no value`;
  if (/^char '&' is not expected/.test(message)) return '"&" that starts no reference';
  if (/^Start tag expected/.test(message)) return 'the document has no root element';

  return message;
}

/** Turns the library's ordered nodes into XmlElements, checking what it leaves open. */
class TreeBuilder {
  constructor(private readonly src: string) {}

  build(nodes: OrderedNode[]): XmlElement {
    let root: XmlElement | undefined;
    nodes.forEach((node, index) => {
      const name = nodeName(node);
      if (name === TEXT) {
        if (/[^ \t\n]/.test(node[TEXT] as string)) fail('text outside the root element');
      } else if (name === CDATA) {
        fail('CDATA section outside the root element');
      } else if (name === COMMENT) {
        this.checkComment(node);
      } else if (name.startsWith('?')) {
        this.checkInstruction(name, index);
      } else if (root) {
        fail('a second root element');
      } else {
        root = this.element(node, name, undefined, 1);
      }
    });
    if (!root) fail('the document has no root element');

    return root;
  }

  private element(
    node: OrderedNode,
    markedName: string,
    inherited: ReadonlyMap<string, string> | undefined,
    depth: number,
  ): XmlElement {
    if (depth > XML_MAX_DEPTH) fail(`elements nested over ${XML_MAX_DEPTH}`);
    const name = unmark(markedName);
    const attributes = readAttributes(node[ATTRIBUTES] as Record<string, string> | undefined);
    const scope = declareNamespaces(inherited, attributes);
    const element = makeElement(name, attributes, scope);

    for (const child of node[markedName] as OrderedNode[]) {
      const childName = nodeName(child);
      if (childName === TEXT) {
        const raw = child[TEXT] as string;
        if (raw.includes(']]>')) fail('"]]>" in text');
        element.text += decodeReferences(raw);
      } else if (childName === CDATA) {
        element.text += cdataText(child);
      } else if (childName === COMMENT) {
        this.checkComment(child);
      } else if (childName.startsWith('?')) {
        this.checkInstruction(childName, -1);
      } else {
        element.children.push(this.element(child, childName, scope, depth + 1));
      }
    }

    return element;
  }

  private checkComment(node: OrderedNode): void {
    if (cdataText({ [CDATA]: node[COMMENT] }).includes('--')) fail('"--" inside a comment');
  }

  /** Processing instructions are skipped; the XML declaration may only open the document. */
  private checkInstruction(name: string, index: number): void {
    if (name.toLowerCase() !== '?xml') return;
    if (name !== '?xml' || index !== 0 || !this.src.startsWith('<?xml')) {
      fail('XML declaration not at the start');
    }
  }
}

/** The one key of a node that is not its attributes. */
function nodeName(node: OrderedNode): string {
  for (const key of Object.keys(node)) if (key !== ATTRIBUTES) return key;
  fail('an empty node');
}

/** The library marks some names twice (self-closing tags); no XML name starts with MARK. */
function unmark(name: string): string {
  let start = 0;
  while (name.charCodeAt(start) === 1) start += 1;

  return name.slice(start);
}

function cdataText(node: OrderedNode): string {
  const parts = (node[CDATA] as OrderedNode[] | undefined) ?? [];

  return parts.map((part) => (part[TEXT] as string | undefined) ?? '').join('');
}

function readAttributes(raw: Record<string, string> | undefined): XmlAttribute[] {
  if (!raw) return [];

  return Object.keys(raw).map((key) => {
    const name = unmark(key);
    const value = String(raw[key]);
    if (value.includes('<')) fail(`"<" in the value of attribute ${name}`);

    return { name, value: decodeReferences(value.replace(/[\t\n]/g, ' ')) };
  });
}

function declareNamespaces(
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
    if (prefix !== '' && value === '') fail(`prefix ${prefix} bound to an empty URI`);
    if (scope === inherited) scope = new Map(inherited);
    (scope as Map<string, string>).set(prefix, value);
  }

  return scope;
}

function makeElement(
  name: string,
  attributes: readonly XmlAttribute[],
  scope: ReadonlyMap<string, string>,
): XmlElement {
  const { prefix, local } = splitName(name);
  for (const attribute of attributes) {
    const parts = splitName(attribute.name);
    if (parts.prefix && parts.prefix !== 'xmlns' && !scope.has(parts.prefix)) {
      fail(`namespace prefix "${parts.prefix}" is not declared`);
    }
  }
  const ns = scope.get(prefix);
  if (ns === undefined) fail(`namespace prefix "${prefix}" is not declared`);

  return { ns, local, name, attributes, children: [], text: '' };
}

function splitName(name: string): { prefix: string; local: string } {
  const colon = name.indexOf(':');
  if (colon < 0) return { prefix: '', local: name };
  const local = name.slice(colon + 1);
  if (colon === 0 || local === '' || local.includes(':')) fail(`bad name "${name}"`);

  return { prefix: name.slice(0, colon), local };
}

function decodeReferences(raw: string): string {
  if (!raw.includes('&')) return raw;
  let out = '';
  let from = 0;
  for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', from)) {
    const semi = raw.indexOf(';', amp);
    if (semi < 0 || semi - amp > 32) fail('"&" that starts no reference');
    out += raw.slice(from, amp) + resolveReference(raw.slice(amp + 1, semi));
    from = semi + 1;
  }

  return out + raw.slice(from);
}

function resolveReference(ref: string): string {
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
    fail(`entity &${ref}; is not defined (only the five XML entities are accepted)`);
  }
  if (!isXmlChar(code)) fail(`&${ref}; is not a legal XML character`);

  return String.fromCodePoint(code);
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

function fail(message: string): never {
  throw new XmlSyntaxError(message);
}

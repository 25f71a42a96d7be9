import { describe, expect, it } from 'vitest';
import { decodeXml, XmlEncodingError } from './decode';
import { readXml, XML_MAX_DEPTH, XmlSyntaxError } from './xml-reader';

function refusal(xml: string): string {
  try {
    readXml(xml);
  } catch (error) {
    if (error instanceof XmlSyntaxError) return error.message;
    throw error;
  }
  throw new Error('expected the document to be refused');
}

describe('readXml', () => {
  it('resolves namespaces by URI, whatever the prefix', () => {
    const root = readXml('<c:a xmlns:c="urn:x"><c:b>1</c:b><d xmlns="urn:y">2</d></c:a>');

    expect([root.ns, root.local]).toEqual(['urn:x', 'a']);
    expect(root.children.map((c) => [c.ns, c.local, c.text])).toEqual([
      ['urn:x', 'b', '1'],
      ['urn:y', 'd', '2'],
    ]);
  });

  it('decodes the five entities, character references and CDATA, and skips comments', () => {
    const root = readXml(
      '<?xml version="1.0"?><!-- c --><?pi x?><a>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;' +
        '<!-- inner --><![CDATA[<raw & text>]]></a><!-- after -->',
    );

    expect(root.text).toBe(`<>&"'AB<raw & text>`);
  });

  it('refuses any DOCTYPE, so no entity is ever declared or expanded', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
      '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><a>&lol2;</a>';
    const external = '<!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>';

    expect(refusal(laughs)).toMatch(/DOCTYPE is refused/);
    expect(refusal(external)).toMatch(/DOCTYPE is refused/);
    expect(refusal('<!DOCTYPE a SYSTEM "http://localhost/a.dtd"><a/>')).toMatch(/DOCTYPE/);
  });

  it('refuses undeclared entities and bare ampersands', () => {
    expect(refusal('<a>&xxe;</a>')).toMatch(/entity &xxe; is not defined/);
    expect(refusal('<a>fish & chips</a>')).toMatch(/"&" that starts no reference/);
    expect(refusal('<a>&#0;</a>')).toMatch(/not a legal XML character/);
  });

  it('never turns element names into object keys', () => {
    const root = readXml(
      '<a><__proto__><polluted>yes</polluted></__proto__><constructor>1</constructor>' +
        '<prototype>2</prototype></a>',
    );

    expect(root.children.map((c) => c.local)).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(root)).toBe(Object.prototype);
  });

  it('keeps hostile attribute names and self-closing hostile elements as plain data', () => {
    const root = readXml(
      '<a __proto__="x" constructor="y"><prototype/><__proto__ polluted="yes"/></a>',
    );

    expect(root.attributes.map((a) => [a.name, a.value])).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
    expect(root.children.map((c) => c.local)).toEqual(['prototype', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('matches by namespace URI: the same prefix bound elsewhere is another namespace', () => {
    const root = readXml('<cap:alert xmlns:cap="urn:not-cap"><cap:b/></cap:alert>');

    expect(root.ns).toBe('urn:not-cap');
    expect(root.children[0]!.ns).toBe('urn:not-cap');
  });

  it.each([
    ['<a><b></a>', /<\/a> closes <b>/],
    ['<a/><b/>', /second root/],
    ['<a/>text', /text outside the root/],
    ['<a><b/>', /never closed/],
    ['<x:a/>', /prefix "x" is not declared/],
    ['<a b="1" b="2"/>', /appears twice/],
    ['<a b=1/>', /not quoted/],
    ['<a b="<"/>', /"<" in the value/],
    ['<a>\u0001</a>', /character that XML does not allow/],
    ['<a>]]></a>', /"]]>" in text/],
    ['<a><!-- a -- b --></a>', /"--" inside a comment/],
    ['<a/><?xml version="1.0"?>', /XML declaration not at the start/],
    ['', /no root element/],
  ])('refuses malformed XML: %s', (xml, message) => {
    expect(refusal(xml)).toMatch(message);
  });

  it('bounds the nesting depth', () => {
    const deep = `${'<a>'.repeat(XML_MAX_DEPTH + 1)}${'</a>'.repeat(XML_MAX_DEPTH + 1)}`;

    expect(refusal(deep)).toMatch(/nested over/);
  });

  it('reports the line of a problem', () => {
    expect(refusal('<a>\n\n<b></c></a>')).toMatch(/^line 3:/);
  });
});

describe('decodeXml', () => {
  it('removes a UTF-8 byte-order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>é</a>')]);

    expect(decodeXml(bytes)).toBe('<a>é</a>');
    expect(decodeXml('\uFEFF<a/>')).toBe('<a/>');
  });

  it('decodes ISO-8859-1 when the declaration says so', () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>\u00e1</a>', 'latin1');

    expect(readXml(decodeXml(bytes)).text).toBe('á');
  });

  it('decodes UTF-16 with a byte-order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a>ü</a>', 'utf16le')]);

    expect(decodeXml(bytes)).toBe('<a>ü</a>');
  });

  it('refuses invalid UTF-8 and unknown encodings', () => {
    expect(() => decodeXml(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c]))).toThrow(XmlEncodingError);
    expect(() => decodeXml(Buffer.from('<?xml version="1.0" encoding="EBCDIC"?><a/>'))).toThrow(
      /not supported/,
    );
  });
});

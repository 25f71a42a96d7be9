/**
 * Turns the bytes of an XML document into text, as an XML processor would: a byte-order mark
 * wins, then the encoding named in the XML declaration, then UTF-8.
 */

export class XmlEncodingError extends Error {
  override name = 'XmlEncodingError';
}

const LATIN1_NAMES = new Set([
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'latin1',
  'l1',
  'windows-1252',
  'cp1252',
]);
const UTF8_NAMES = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/** Decodes a document; a string is taken as already decoded (only its BOM is removed). */
export function decodeXml(input: string | Uint8Array): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  if (startsWith(input, [0xef, 0xbb, 0xbf])) return decode('utf-8', input.subarray(3));
  if (startsWith(input, [0xfe, 0xff])) return decode('utf-16be', input.subarray(2));
  if (startsWith(input, [0xff, 0xfe])) return decode('utf-16le', input.subarray(2));

  return decode(declaredEncoding(input), input);
}

/** The encoding named in the XML declaration, in a canonical spelling; UTF-8 without one. */
function declaredEncoding(bytes: Uint8Array): 'utf-8' | 'latin1' {
  const head = Buffer.from(bytes.subarray(0, 256)).toString('latin1');
  const declaration = /^<\?xml[^>]*?encoding[ \t\r\n]*=[ \t\r\n]*["']([A-Za-z0-9._-]+)["']/.exec(
    head,
  );
  if (!declaration) return 'utf-8';
  const name = declaration[1]!.toLowerCase();
  if (UTF8_NAMES.has(name)) return 'utf-8';
  if (LATIN1_NAMES.has(name)) return 'latin1';
  throw new XmlEncodingError(`encoding "${declaration[1]}" is not supported (UTF-8, ISO-8859-1)`);
}

function decode(encoding: string, bytes: Uint8Array): string {
  try {
    // `fatal` makes invalid UTF-8 an error instead of silent replacement characters.
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new XmlEncodingError(`the body is not valid ${encoding.toUpperCase()}`);
  }
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

/**
 * Rules every JSON body obeys before any route sees it. PostgreSQL refuses NUL characters and
 * unpaired UTF-16 surrogates in text and JSON, and a deeply nested body exhausts the stack of
 * the validators: each would otherwise surface as a 500 far from where it came in.
 */
export const MAX_JSON_DEPTH = 64;

export class JsonBodyRuleError extends Error {
  readonly status = 400;
  readonly type = 'entity.rules.failed';
}

/** Counts nesting in the raw text (outside strings) without parsing it. */
export function assertJsonDepth(raw: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      // A backslash escapes the next byte; a quote ends the string.
      if (byte === 0x5c) {
        i++;
      } else if (byte === 0x22) {
        inString = false;
      }
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new JsonBodyRuleError(`the request body nests deeper than ${MAX_JSON_DEPTH} levels`);
      }
    } else if (byte === 0x5d || byte === 0x7d) {
      depth--;
    }
  }
}

/** Whether PostgreSQL can store this text: no NUL character, no unpaired surrogate. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

/** A JSON.parse reviver refusing strings (values and keys) PostgreSQL cannot store. */
export function refuseUnstorableText(key: string, value: unknown): unknown {
  for (const text of typeof value === 'string' ? [key, value] : [key]) {
    if (!isStorableText(text)) {
      throw new JsonBodyRuleError(
        'text in the request body must not contain NUL characters or unpaired surrogates',
      );
    }
  }

  return value;
}

import { DomainError } from '@tocsin/common';
import { isStorableText, MAX_JSON_DEPTH } from '@tocsin/http';

/**
 * The rules an HTTP body obeys (libs/http json-body-rules), for a socket event's payload:
 * Socket.IO hands handlers parsed values, so the same refusals are made by walking them. Text
 * PostgreSQL cannot store would otherwise be changed silently (an unpaired surrogate becomes
 * U+FFFD on the way in) or fail deep inside a handler.
 */
export function assertSocketPayload(payload: unknown): void {
  const problem = findProblem(payload, 0);
  if (problem) throw new DomainError('invalid', 'socket.payload_invalid', problem);
}

function findProblem(value: unknown, depth: number): string | undefined {
  if (typeof value === 'string') {
    return isStorableText(value) ? undefined : UNSTORABLE;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= MAX_JSON_DEPTH) return `the payload nests deeper than ${MAX_JSON_DEPTH} levels`;

  for (const [key, child] of Object.entries(value)) {
    if (!isStorableText(key)) return UNSTORABLE;
    const problem = findProblem(child, depth + 1);
    if (problem) return problem;
  }

  return undefined;
}

const UNSTORABLE = 'text in the payload must not contain NUL characters or unpaired surrogates';

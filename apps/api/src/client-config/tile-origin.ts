/**
 * The CSP source for a tile URL template: its origin, with a `{s}` subdomain placeholder
 * widened to `*.` (as CSP writes wildcards). Undefined when the template has no usable origin.
 */
export function tileSource(template: string): string | undefined {
  const match = /^(https?):\/\/([^/?#]+)/.exec(template);
  if (!match) return undefined;
  const host = match[2].replace(/^\{s\}\./, '*.');
  if (/[{}]/.test(host)) return undefined;

  return `${match[1]}://${host}`;
}

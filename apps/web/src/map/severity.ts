import type { CapSeverity } from '@tocsin/contracts';

/** Map and badge colours per CAP severity, readable on the dark theme. */
export const SEVERITY_COLOURS: Record<CapSeverity, string> = {
  Extreme: '#ff5449',
  Severe: '#ff8f3f',
  Moderate: '#f2c94c',
  Minor: '#6ab7ff',
  Unknown: '#a0a8b4',
};

export function severityClass(severity: CapSeverity): string {
  return `sev-${severity.toLowerCase()}`;
}

import type { CapSeverity } from '@tocsin/contracts';
import { severityClass } from '../map/severity';

export function SeverityBadge({ severity }: { severity: CapSeverity }) {
  return <span className={`badge ${severityClass(severity)}`}>{severity}</span>;
}

import { CreateAlerts1764780300000 } from './1764780300000-CreateAlerts';
import { CapInterop1764780400000 } from './1764780400000-CapInterop';
import { AlertCancelReason1765300000000 } from './1765300000000-AlertCancelReason';
import { OpenAlertsNewestFirst1765300500000 } from './1765300500000-OpenAlertsNewestFirst';
import { AlertExtentAcrossAntimeridian1765300600000 } from './1765300600000-AlertExtentAcrossAntimeridian';

export const alertsMigrations = [
  CreateAlerts1764780300000,
  CapInterop1764780400000,
  AlertCancelReason1765300000000,
  OpenAlertsNewestFirst1765300500000,
  AlertExtentAcrossAntimeridian1765300600000,
];

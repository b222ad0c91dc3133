// One mapping from Zoneward's alert severities to the numeric scales of the output formats, so
// syslog, CEF and ECS agree on what "high" means.

import type { Severity } from '../alert.ts';

/**
 * CEF header Severity, 0-10 (ArcSight CEF rev 25, "Severity": 0-3 Low, 4-6 Medium, 7-8 High,
 * 9-10 Very-High). ECS event.severity uses the same numbers (ECS leaves the scale to the source).
 */
export const CEF_SEVERITY: Readonly<Record<Severity, number>> = {
  info: 1,
  low: 3,
  medium: 5,
  high: 8,
  critical: 10,
};

/** RFC 5424 §6.2.1 Table 2 severities: 2 Critical, 3 Error, 4 Warning, 5 Notice, 6 Informational. */
export const SYSLOG_SEVERITY: Readonly<Record<Severity, number>> = {
  info: 6,
  low: 5,
  medium: 4,
  high: 3,
  critical: 2,
};

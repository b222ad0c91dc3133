// Makers of industrial automation equipment (controllers, I/O, drives, protection relays), matched
// against the organisation names of the IEEE registry. A MAC from one of them raises the chance
// that a device is a controller; it proves nothing alone, since the same makers sell HMIs and PCs.
// Industrial network gear (Hirschmann, Moxa switches, Westermo) is deliberately absent: those are
// network devices, and their traffic says so.

const INDUSTRIAL_AUTOMATION_VENDORS: readonly RegExp[] = [
  /\brockwell automation\b/i,
  /\ballen[- ]bradley\b/i,
  /\bschneider electric\b/i,
  /\btelemecanique\b/i,
  /\bmodicon\b/i,
  /\bsiemens\b.*\b(automation|industr|energy|numerical control|drive)/i,
  /^siemens ag,?$/i,
  /\bomron\b/i,
  /\bmitsubishi electric\b.*\b(automation|india|europe|us|corporation)\b/i,
  /^mitsubishi electric corporation$/i,
  /^abb\b/i,
  /\byokogawa\b/i,
  /\bemerson\b.*\b(process|automation|rosemount)\b/i,
  /\bhoneywell\b.*\b(process|sps)\b/i,
  /\bge fanuc\b|\bge intelligent platforms\b|\bfanuc\b/i,
  /\bbeckhoff\b/i,
  /\bb&r industrial automation\b|\bbernecker\b/i,
  /\bphoenix contact\b/i,
  /\bwago\b/i,
  /\bpilz\b/i,
  /\bturck\b/i,
  /\bhilscher\b/i,
  /\bhms industrial networks\b/i,
  /\bred lion\b/i,
  /\bunitronics\b/i,
  /\bkeyence\b/i,
  /\bprosoft technology\b/i,
  /\bbosch rexroth\b/i,
  /\bfesto\b/i,
  /\bschweitzer engineering\b/i,
  /\bsaia-burgess\b/i,
  /\bvipa\b(?!r)/i,
  /\beaton automation\b/i,
  /\bdanfoss drives\b/i,
  /\byaskawa\b/i,
  /\bfuji electric\b/i,
  /\bkoyo electronics\b|\bautomationdirect\b/i,
  /\bopto 22\b/i,
  /\blenze\b/i,
  /\bsew-eurodrive\b/i,
  /\bendress\b.*\bhauser\b/i,
  /\bkeba\b/i,
  /\bdelta electronics\b/i,
];

/** Registrations of those makers that are not automation (medical, home, telecom divisions...). */
const NOT_AUTOMATION =
  /healthcare|medical|home|mobile|computers|networks|telecommunication|video|security|fire|lighting|appliance|avionics|aviation|building|life safety|analytics|climate|rail|mobility|software|retail|\bapc\b/i;

export function isIndustrialAutomationVendor(vendor: string): boolean {
  if (NOT_AUTOMATION.test(vendor)) return false;
  return INDUSTRIAL_AUTOMATION_VENDORS.some((pattern) => pattern.test(vendor));
}

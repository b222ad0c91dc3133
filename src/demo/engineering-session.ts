// The engineering workstation's commissioning round, once per capture: it visits every
// controller in turn over a short-lived Modbus/TCP connection, reads its device identification
// (FC 43 / MEI 14, basic and then regular objects, §6.21), runs a diagnostics loopback (FC 8
// sub-function 0, §6.8.1), reads some registers, now and then asks for an address the controller
// does not have (ILLEGAL_DATA_ADDRESS), writes a few coils on the controllers being tested, and
// closes. Controllers without FC 43 or FC 8 answer ILLEGAL_FUNCTION, as they do in the field.

import { MAC_BROADCAST, MAC_ZERO } from './addresses.ts';
import { ARP_OPERATION } from './frames.ts';
import { ModbusClientSession, type ModbusPeer } from './modbus-client.ts';
import { DIAGNOSTIC_SUB_FUNCTION, type ModbusRequest, READ_DEVICE_ID_CODE } from './modbus-frames.ts';
import type { Host } from './network.ts';
import type { Behaviour } from './scheduler.ts';
import { MILLISECOND, SECOND, type Simulation } from './simulation.ts';

/** The loopback pattern engineering tools send with FC 8 sub-function 0. */
const DIAGNOSTIC_PATTERN = 0xa537;

export interface EngineeringTarget {
  readonly name: string;
  readonly peer: ModbusPeer;
  /** Ask for registers past the end of the holding register space. */
  readonly probeOutOfRange: boolean;
  /** Command coils to switch on and off again, and to write as a block. */
  readonly testCoils: { readonly address: number; readonly count: number } | null;
}

export function* engineeringSession(
  sim: Simulation,
  workstation: Host,
  targets: readonly EngineeringTarget[],
  latencyMicros: number,
): Behaviour {
  const prng = sim.prng('engineering-session');
  let at = sim.now + 2 * SECOND;
  let firstTarget = true;
  for (const target of targets) {
    const plc = target.peer.host;
    // First contact: resolve the controller's MAC (RFC 826).
    yield at;
    if (firstTarget)
      sim.record('engineering-session', workstation.name, `visits ${targets.length} controllers`);
    firstTarget = false;
    sim.sink.arp(
      MAC_BROADCAST,
      workstation.mac,
      ARP_OPERATION.REQUEST,
      workstation.mac,
      workstation.ip,
      MAC_ZERO,
      plc.ip,
    );
    if (!sim.isDown(plc, sim.now)) {
      yield sim.now + prng.int(200, 2_000);
      sim.sink.arp(
        workstation.mac,
        plc.mac,
        ARP_OPERATION.REPLY,
        plc.mac,
        plc.ip,
        workstation.mac,
        workstation.ip,
      );
    }
    const session = new ModbusClientSession(sim, workstation, target.peer, prng, 1, latencyMicros);
    if (!(yield* session.connect(sim.now + prng.int(300, 900)))) {
      at = sim.now + 3 * SECOND;
      continue;
    }
    const spec = target.peer.server.spec;
    const unit = spec.units[0];
    const think = (): number => sim.now + prng.int(20, 90) * MILLISECOND;
    const requests: ModbusRequest[] = [
      { kind: 'read-device-identification', unit, readDeviceIdCode: READ_DEVICE_ID_CODE.BASIC, objectId: 0 },
    ];
    if (spec.identification && (spec.identification.conformityLevel & 0x7f) >= READ_DEVICE_ID_CODE.REGULAR) {
      requests.push({
        kind: 'read-device-identification',
        unit,
        readDeviceIdCode: READ_DEVICE_ID_CODE.REGULAR,
        objectId: 0,
      });
    }
    requests.push({
      kind: 'diagnostics',
      unit,
      subFunction: DIAGNOSTIC_SUB_FUNCTION.RETURN_QUERY_DATA,
      data: DIAGNOSTIC_PATTERN,
    });
    const map = spec.map;
    if (map.holdingRegisters > 0) {
      requests.push({
        kind: 'read',
        unit,
        functionCode: 3,
        address: 0,
        quantity: Math.min(10, map.holdingRegisters),
      });
      if (target.probeOutOfRange) {
        requests.push({ kind: 'read', unit, functionCode: 3, address: map.holdingRegisters, quantity: 10 });
      }
    }
    if (map.coils > 0)
      requests.push({ kind: 'read', unit, functionCode: 1, address: 0, quantity: Math.min(16, map.coils) });
    let answered = true;
    for (const request of requests) {
      answered = yield* session.transaction(think(), request);
      if (!answered) break;
    }
    const coils = target.testCoils;
    if (answered && coils) {
      // Switch one output on for a short test, off again, then write the block back to rest.
      const test: ModbusRequest[] = [
        { kind: 'write-single-coil', unit, address: coils.address, on: true },
        { kind: 'write-single-coil', unit, address: coils.address, on: false },
        {
          kind: 'write-multiple-coils',
          unit,
          address: coils.address,
          bits: Array.from({ length: coils.count }, () => false),
        },
      ];
      for (const request of test) {
        answered = yield* session.transaction(sim.now + prng.int(500, 2_500) * MILLISECOND, request);
        if (!answered) break;
      }
    }
    if (answered) {
      yield* session.close(think());
    } else {
      yield* session.abandon();
    }
    at = sim.now + prng.int(1_000, 4_000) * MILLISECOND;
  }
}

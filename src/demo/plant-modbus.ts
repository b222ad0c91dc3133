// The plant's Modbus/TCP traffic plan: each controller's data model and what it implements, and
// who polls what how often. Register blocks follow each vendor's conventions: Modicon %MW as
// holding registers, the S7 MB_SERVER data block plus raw analog values 0..27648, WAGO's PFC
// memory at 0x3000 and coupler outputs at 0x0200, ADAM-6052 coils at 00017, PM5300 meter floats
// from register 3000, and so on. Periods are per poll item, as SCADA and HMI scan classes are.

import { FUNCTION_CODE as FC } from './modbus-frames.ts';
import type { DeviceIdentification, ModbusServerSpec } from './modbus-server.ts';
import type { DemoModbusServer } from './plant.ts';
import type { BitSignal, ModbusMap, RegisterSignal } from './process-image.ts';

/** One read a client repeats every `periodMillis` (with a few percent of timer jitter). */
export interface PollSpec {
  readonly unit: number;
  readonly functionCode: 1 | 2 | 3 | 4;
  readonly address: number;
  readonly quantity: number;
  readonly periodMillis: number;
}

/** Registers or coils an operator may write from the HMI. */
export interface OperatorTargets {
  /** Setpoint holding registers [address, address + count) with their engineering range. */
  readonly setpoints: {
    readonly unit: number;
    readonly address: number;
    readonly count: number;
    readonly min: number;
    readonly max: number;
  } | null;
  /** Command coils [address, address + count) (start/stop, open/close). */
  readonly coils: { readonly unit: number; readonly address: number; readonly count: number } | null;
}

export interface ControllerPlan {
  readonly device: string;
  readonly server: ModbusServerSpec;
  readonly hmi: 'hmi-1' | 'hmi-2';
  readonly hmiPolls: readonly PollSpec[];
  readonly scadaPolls: readonly PollSpec[];
  readonly historianPolls: readonly PollSpec[];
  readonly operator: OperatorTargets;
}

const poll = (
  unit: number,
  functionCode: 1 | 2 | 3 | 4,
  address: number,
  quantity: number,
  periodMillis: number,
): PollSpec => ({
  unit,
  functionCode,
  address,
  quantity,
  periodMillis,
});

const analog = (
  space: 'holding' | 'input',
  address: number,
  count: number,
  center: number,
  spread: number,
): RegisterSignal => ({
  kind: 'analog',
  space,
  address,
  count,
  center,
  spread,
});
const float32 = (
  space: 'holding' | 'input',
  address: number,
  count: number,
  center: number,
  spread: number,
): RegisterSignal => ({
  kind: 'float32',
  space,
  address,
  count,
  center,
  spread,
});
const counter32 = (
  space: 'holding' | 'input',
  address: number,
  count: number,
  perSecond: number,
): RegisterSignal => ({
  kind: 'counter32',
  space,
  address,
  count,
  perSecond,
});
const fixed = (address: number, values: number[]): RegisterSignal => ({
  kind: 'fixed',
  space: 'holding',
  address,
  values,
});
const status = (space: 'holding' | 'input', address: number, count: number): RegisterSignal => ({
  kind: 'status',
  space,
  address,
  count,
});
const bits = (
  space: 'coils' | 'discrete',
  address: number,
  count: number,
  onRatio: number,
  flipChance: number,
): BitSignal => ({
  space,
  address,
  count,
  onRatio,
  flipChance,
});

const READS_AND_WRITES = [
  FC.READ_COILS,
  FC.READ_DISCRETE_INPUTS,
  FC.READ_HOLDING_REGISTERS,
  FC.READ_INPUT_REGISTERS,
  FC.WRITE_SINGLE_COIL,
  FC.WRITE_SINGLE_REGISTER,
  FC.WRITE_MULTIPLE_COILS,
  FC.WRITE_MULTIPLE_REGISTERS,
];
const WITH_DIAGNOSTICS_AND_ID = [
  ...READS_AND_WRITES,
  FC.DIAGNOSTICS,
  FC.ENCAPSULATED_INTERFACE_TRANSPORT,
].sort((a, b) => a - b);
const WITH_ID = [...READS_AND_WRITES, FC.ENCAPSULATED_INTERFACE_TRANSPORT].sort((a, b) => a - b);
const RETURN_QUERY_DATA_AND_COUNT = [0x0000, 0x000b];

function server(
  map: ModbusMap,
  options: {
    units?: number[];
    functionCodes: readonly number[];
    diagnostics?: number[];
    identification: DeviceIdentification | null;
    responseMicros: [number, number];
    gateway?: boolean;
  },
): ModbusServerSpec {
  return {
    units: options.units ?? [1],
    gateway: options.gateway ?? false,
    map,
    functionCodes: options.functionCodes,
    diagnostics: options.diagnostics ?? [],
    identification: options.identification,
    responseMicros: options.responseMicros,
    slaveTimeoutChance: options.gateway ? 0.002 : 0,
    slaveTimeoutMicros: 1_000_000,
  };
}

export const CONTROLLER_PLANS: readonly ControllerPlan[] = [
  {
    device: 'plc-boiler-1',
    server: server(
      {
        holdingRegisters: 2048,
        inputRegisters: 0,
        coils: 512,
        discreteInputs: 0,
        registers: [
          analog('holding', 0, 24, 850, 40), // temperatures, 0.1 °C
          analog('holding', 24, 8, 1200, 60), // pressures, 0.01 bar
          counter32('holding', 40, 4, 2),
          status('holding', 60, 4),
          fixed(100, [850, 870, 1200, 1250, 60, 45, 300, 0, 1, 0]),
          float32('holding', 200, 10, 42.5, 3),
        ],
        bits: [bits('coils', 0, 32, 0.4, 0.01)],
      },
      {
        units: [255],
        functionCodes: WITH_DIAGNOSTICS_AND_ID,
        diagnostics: RETURN_QUERY_DATA_AND_COUNT,
        identification: {
          vendorName: 'Schneider Electric',
          productCode: 'BMX P34 2020',
          revision: 'v3.20',
          vendorUrl: 'www.se.com',
          productName: 'Modicon M340',
          modelName: 'BMX P34 2020',
          conformityLevel: 0x02,
        },
        responseMicros: [4_000, 18_000],
      },
    ),
    hmi: 'hmi-1',
    hmiPolls: [poll(255, 3, 0, 24, 250), poll(255, 1, 0, 32, 500), poll(255, 3, 100, 10, 1000)],
    scadaPolls: [
      poll(255, 3, 0, 64, 1000),
      poll(255, 3, 200, 20, 2000),
      poll(255, 1, 0, 32, 1000),
      poll(255, 3, 100, 10, 5000),
    ],
    historianPolls: [poll(255, 3, 0, 32, 5000), poll(255, 3, 200, 20, 10000)],
    operator: {
      setpoints: { unit: 255, address: 100, count: 4, min: 600, max: 1300 },
      coils: { unit: 255, address: 0, count: 8 },
    },
  },
  {
    device: 'plc-boiler-2',
    server: server(
      {
        holdingRegisters: 4096,
        inputRegisters: 0,
        coils: 1024,
        discreteInputs: 0,
        registers: [
          analog('holding', 0, 32, 900, 50),
          counter32('holding', 50, 4, 1),
          status('holding', 80, 4),
          fixed(120, [900, 920, 1300, 1350, 55, 40, 280, 0, 1, 0, 15, 30]),
          float32('holding', 300, 20, 12.5, 1.5), // steam flow, t/h
        ],
        bits: [bits('coils', 0, 64, 0.3, 0.01)],
      },
      {
        units: [255],
        functionCodes: WITH_DIAGNOSTICS_AND_ID,
        diagnostics: RETURN_QUERY_DATA_AND_COUNT,
        identification: {
          vendorName: 'Schneider Electric',
          productCode: 'BME P58 2040',
          revision: 'v4.10',
          vendorUrl: 'www.se.com',
          productName: 'Modicon M580',
          modelName: 'BME P58 2040',
          userApplicationName: 'BOILER_2',
          conformityLevel: 0x82,
        },
        responseMicros: [2_000, 9_000],
      },
    ),
    hmi: 'hmi-1',
    hmiPolls: [poll(255, 3, 0, 32, 250), poll(255, 3, 300, 40, 500), poll(255, 1, 0, 64, 1000)],
    scadaPolls: [poll(255, 3, 0, 100, 1000), poll(255, 3, 300, 40, 1000), poll(255, 3, 120, 12, 5000)],
    historianPolls: [poll(255, 3, 300, 40, 5000)],
    operator: { setpoints: { unit: 255, address: 120, count: 4, min: 600, max: 1400 }, coils: null },
  },
  {
    device: 'plc-filler',
    server: server(
      {
        holdingRegisters: 200,
        inputRegisters: 64,
        coils: 256,
        discreteInputs: 256,
        registers: [
          analog('holding', 0, 16, 450, 30), // fill levels, mm
          counter32('holding', 20, 4, 6), // bottles
          status('holding', 30, 2),
          fixed(40, [500, 505, 495, 120, 80, 0, 1, 0, 0, 0]),
          analog('input', 0, 8, 13824, 2000), // raw analog inputs, 0..27648
        ],
        bits: [bits('coils', 0, 16, 0.5, 0.02), bits('discrete', 0, 32, 0.5, 0.03)],
      },
      { functionCodes: READS_AND_WRITES, identification: null, responseMicros: [8_000, 30_000] },
    ),
    hmi: 'hmi-1',
    hmiPolls: [poll(1, 3, 0, 32, 250), poll(1, 2, 0, 32, 500), poll(1, 4, 0, 8, 1000)],
    scadaPolls: [poll(1, 3, 0, 50, 1000), poll(1, 1, 0, 16, 2000), poll(1, 2, 0, 32, 2000)],
    historianPolls: [],
    operator: { setpoints: { unit: 1, address: 40, count: 3, min: 450, max: 550 }, coils: null },
  },
  {
    device: 'plc-palletizer',
    server: server(
      {
        holdingRegisters: 500,
        inputRegisters: 32,
        coils: 64,
        discreteInputs: 64,
        registers: [
          analog('holding', 0, 20, 1200, 1100), // axis positions, mm
          counter32('holding', 20, 2, 0.2), // pallets
          status('holding', 30, 4),
          fixed(100, [1200, 800, 1450, 5, 4, 12, 0, 0, 300, 250, 0, 1]),
          analog('input', 0, 8, 13824, 4000),
        ],
        bits: [bits('coils', 0, 64, 0.3, 0.02), bits('discrete', 0, 64, 0.4, 0.03)],
      },
      { functionCodes: READS_AND_WRITES, identification: null, responseMicros: [2_000, 8_000] },
    ),
    hmi: 'hmi-1',
    hmiPolls: [poll(1, 3, 0, 34, 500), poll(1, 1, 0, 64, 500)],
    scadaPolls: [poll(1, 3, 0, 34, 1000), poll(1, 3, 100, 12, 5000), poll(1, 2, 0, 64, 2000)],
    historianPolls: [],
    operator: { setpoints: { unit: 1, address: 108, count: 2, min: 100, max: 400 }, coils: null },
  },
  {
    device: 'plc-conveyor',
    server: server(
      {
        holdingRegisters: 100,
        inputRegisters: 16,
        coils: 64,
        discreteInputs: 32,
        registers: [
          analog('holding', 0, 10, 1450, 30), // motor speeds, rpm
          counter32('holding', 10, 2, 3),
          fixed(20, [1450, 1450, 1200, 1200, 900, 0, 0, 0, 0, 0]),
        ],
        bits: [bits('coils', 0, 16, 0.6, 0.01), bits('discrete', 0, 16, 0.5, 0.03)],
      },
      { functionCodes: READS_AND_WRITES, identification: null, responseMicros: [5_000, 25_000] },
    ),
    hmi: 'hmi-1',
    hmiPolls: [poll(1, 3, 0, 30, 250), poll(1, 1, 0, 16, 500), poll(1, 2, 0, 16, 1000)],
    scadaPolls: [poll(1, 3, 0, 30, 1000), poll(1, 1, 0, 16, 2000)],
    historianPolls: [],
    operator: {
      setpoints: { unit: 1, address: 20, count: 5, min: 600, max: 1800 },
      coils: { unit: 1, address: 0, count: 8 },
    },
  },
  {
    device: 'plc-mixer',
    server: server(
      {
        holdingRegisters: 1000,
        inputRegisters: 256,
        coils: 128,
        discreteInputs: 128,
        registers: [
          float32('holding', 0, 20, 65, 5),
          fixed(100, [65, 70, 120, 30, 0, 1, 0, 0]),
          status('holding', 200, 2),
          float32('input', 0, 8, 3.2, 0.4),
        ],
        bits: [bits('coils', 0, 32, 0.3, 0.01), bits('discrete', 0, 32, 0.4, 0.02)],
      },
      {
        functionCodes: WITH_ID,
        identification: {
          vendorName: 'Phoenix Contact',
          productCode: '2404267',
          revision: '2024.0.3',
          vendorUrl: 'www.phoenixcontact.com',
          productName: 'AXC F 2152',
          modelName: 'PLCnext Control AXC F 2152',
          conformityLevel: 0x02,
        },
        responseMicros: [3_000, 12_000],
      },
    ),
    hmi: 'hmi-1',
    hmiPolls: [poll(1, 3, 0, 40, 500), poll(1, 4, 0, 16, 1000)],
    scadaPolls: [poll(1, 3, 0, 40, 1000), poll(1, 4, 0, 16, 2000), poll(1, 3, 100, 8, 5000)],
    historianPolls: [],
    operator: { setpoints: { unit: 1, address: 100, count: 4, min: 20, max: 150 }, coils: null },
  },
  {
    device: 'plc-packaging',
    server: server(
      {
        holdingRegisters: 13000,
        inputRegisters: 256,
        coils: 1024,
        discreteInputs: 256,
        registers: [
          counter32('holding', 12288, 4, 4),
          analog('holding', 12296, 24, 500, 80),
          fixed(12400, [60, 55, 12, 24, 0, 1, 0, 0, 0, 0]),
          analog('input', 0, 16, 16000, 3000), // raw analog inputs, 0..32767
        ],
        bits: [bits('coils', 512, 16, 0.5, 0.02), bits('discrete', 0, 32, 0.5, 0.03)],
      },
      {
        functionCodes: WITH_DIAGNOSTICS_AND_ID,
        diagnostics: [0x0000],
        identification: {
          vendorName: 'WAGO Kontakttechnik GmbH & Co. KG',
          productCode: '750-8212',
          revision: '04.02.13(24)',
          conformityLevel: 0x01,
        },
        responseMicros: [1_500, 6_000],
      },
    ),
    hmi: 'hmi-2',
    hmiPolls: [poll(1, 3, 12288, 32, 250), poll(1, 4, 0, 16, 500), poll(1, 2, 0, 32, 1000)],
    scadaPolls: [poll(1, 3, 12288, 40, 1000), poll(1, 3, 12400, 10, 5000), poll(1, 4, 0, 16, 2000)],
    historianPolls: [],
    operator: { setpoints: { unit: 1, address: 12400, count: 2, min: 30, max: 90 }, coils: null },
  },
  {
    device: 'rtu-tank-farm',
    server: server(
      {
        holdingRegisters: 1024,
        inputRegisters: 256,
        coils: 1024,
        discreteInputs: 64,
        registers: [analog('input', 0, 8, 16000, 6000), fixed(512, [8000, 12000, 0, 16383])],
        bits: [bits('coils', 512, 8, 0.4, 0.01), bits('discrete', 0, 16, 0.3, 0.02)],
      },
      {
        functionCodes: WITH_DIAGNOSTICS_AND_ID,
        diagnostics: [0x0000],
        identification: {
          vendorName: 'WAGO Kontakttechnik GmbH & Co. KG',
          productCode: '750-352',
          revision: '01.10.08(10)',
          conformityLevel: 0x01,
        },
        responseMicros: [300, 1_200],
      },
    ),
    hmi: 'hmi-2',
    hmiPolls: [poll(1, 4, 0, 8, 500), poll(1, 2, 0, 16, 500)],
    scadaPolls: [poll(1, 4, 0, 8, 1000), poll(1, 2, 0, 16, 1000), poll(1, 1, 512, 8, 2000)],
    historianPolls: [poll(1, 4, 0, 8, 5000)],
    operator: {
      setpoints: { unit: 1, address: 512, count: 2, min: 4000, max: 16000 },
      coils: { unit: 1, address: 512, count: 8 },
    },
  },
  {
    device: 'rtu-pump-station',
    server: server(
      {
        holdingRegisters: 64,
        inputRegisters: 64,
        coils: 16,
        discreteInputs: 16,
        registers: [analog('input', 0, 4, 32000, 12000), counter32('holding', 16, 4, 0.5)],
        bits: [bits('coils', 0, 4, 0.5, 0.005), bits('discrete', 0, 8, 0.5, 0.02)],
      },
      {
        functionCodes: WITH_ID,
        identification: {
          vendorName: 'Moxa',
          productCode: 'ioLogik E1242',
          revision: 'V3.2',
          conformityLevel: 0x01,
        },
        responseMicros: [1_500, 5_000],
      },
    ),
    hmi: 'hmi-2',
    hmiPolls: [poll(1, 4, 0, 4, 1000), poll(1, 2, 0, 8, 1000)],
    scadaPolls: [
      poll(1, 4, 0, 4, 1000),
      poll(1, 2, 0, 8, 2000),
      poll(1, 1, 0, 4, 2000),
      poll(1, 3, 16, 8, 5000),
    ],
    historianPolls: [],
    operator: { setpoints: null, coils: { unit: 1, address: 0, count: 4 } },
  },
  {
    device: 'gw-power-meters',
    server: server(
      {
        holdingRegisters: 3300,
        inputRegisters: 0,
        coils: 0,
        discreteInputs: 0,
        registers: [float32('holding', 2999, 30, 230, 6), counter32('holding', 3203, 4, 40)],
        bits: [],
      },
      {
        units: [1, 2],
        gateway: true,
        functionCodes: [
          FC.READ_HOLDING_REGISTERS,
          FC.READ_INPUT_REGISTERS,
          FC.WRITE_SINGLE_REGISTER,
          FC.WRITE_MULTIPLE_REGISTERS,
          FC.DIAGNOSTICS,
        ],
        diagnostics: [0x0000],
        identification: null,
        responseMicros: [25_000, 60_000], // a Modbus RTU round trip at 19200 bit/s
      },
    ),
    hmi: 'hmi-2',
    hmiPolls: [poll(1, 3, 2999, 30, 1000), poll(2, 3, 2999, 30, 1000)],
    scadaPolls: [
      poll(1, 3, 2999, 60, 2000),
      poll(2, 3, 2999, 60, 2000),
      poll(1, 3, 3203, 8, 10000),
      poll(2, 3, 3203, 8, 10000),
    ],
    historianPolls: [poll(1, 3, 2999, 60, 10000), poll(2, 3, 2999, 60, 10000)],
    operator: { setpoints: null, coils: null },
  },
  {
    device: 'plc-utilities',
    server: server(
      {
        holdingRegisters: 2048,
        inputRegisters: 0,
        coils: 4096,
        discreteInputs: 0,
        registers: [
          analog('holding', 0, 24, 700, 40),
          float32('holding', 100, 12, 6.8, 0.3), // compressed air, bar
          counter32('holding', 200, 4, 1),
          fixed(300, [70, 68, 72, 650, 700, 750, 20, 25, 0, 1, 0, 0, 0, 0, 0, 0]),
        ],
        bits: [bits('coils', 0, 32, 0.5, 0.01)],
      },
      {
        functionCodes: WITH_ID,
        identification: {
          vendorName: 'ABB',
          productCode: 'PM573-ETH',
          revision: 'V2.8.4',
          conformityLevel: 0x01,
        },
        responseMicros: [3_000, 15_000],
      },
    ),
    hmi: 'hmi-2',
    hmiPolls: [poll(1, 3, 0, 24, 500), poll(1, 1, 0, 32, 1000)],
    scadaPolls: [poll(1, 3, 0, 24, 1000), poll(1, 3, 100, 24, 2000), poll(1, 3, 200, 8, 5000)],
    historianPolls: [],
    operator: { setpoints: { unit: 1, address: 300, count: 3, min: 60, max: 80 }, coils: null },
  },
  {
    device: 'rtu-substation',
    server: server(
      {
        holdingRegisters: 64,
        inputRegisters: 0,
        coils: 32,
        discreteInputs: 16,
        registers: [counter32('holding', 0, 8, 0.05)],
        bits: [bits('coils', 16, 8, 0.75, 0.001), bits('discrete', 0, 8, 0.75, 0.002)],
      },
      { functionCodes: READS_AND_WRITES, identification: null, responseMicros: [1_000, 4_000] },
    ),
    hmi: 'hmi-2',
    hmiPolls: [poll(1, 2, 0, 8, 1000), poll(1, 1, 16, 8, 2000)],
    scadaPolls: [poll(1, 2, 0, 8, 1000), poll(1, 1, 16, 8, 1000), poll(1, 3, 0, 16, 5000)],
    historianPolls: [],
    operator: { setpoints: null, coils: { unit: 1, address: 16, count: 8 } },
  },
];

export function controllerPlan(device: string): ControllerPlan | undefined {
  return CONTROLLER_PLANS.find((p) => p.device === device);
}

/** The public summary of a controller's Modbus side. */
export function describeModbusServer(plan: ControllerPlan): DemoModbusServer {
  const id = plan.server.identification;
  return {
    units: plan.server.units,
    identification: id
      ? {
          vendorName: id.vendorName,
          productCode: id.productCode,
          revision: id.revision,
          productName: id.productName ?? null,
          modelName: id.modelName ?? null,
        }
      : null,
  };
}

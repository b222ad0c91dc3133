// How the detector reads a message of any protocol: per app, the field names of its operation,
// function, unit, write space/address/values and identity (descriptor's MessageVocabulary,
// dissectors/types.ts; `<app>.device.*`, dissectors/device.ts). Built once, looked up per event
// with one Map get and no allocation.

import { deviceFields } from '../dissectors/device.ts';
import { isOperation, type Operation } from '../dissectors/operations.ts';
import { DISSECTORS } from '../dissectors/registry.ts';
import type { Fields } from '../dissectors/types.ts';
import { messageFunction } from '../dissectors/vocabulary.ts';

export interface AppVocabulary {
  readonly app: string;
  readonly funcFields: readonly string[];
  readonly operationField: string;
  readonly unitField: string | null;
  readonly spaceField: string;
  readonly addressField: string;
  readonly valuesField: string;
  readonly quantityField: string;
  readonly subfunctionField: string;
  readonly firmwareField: string;
  readonly modelField: string;
  readonly serialField: string;
  readonly deviceUnitField: string;
  readonly deviceIpField: string;
}

function vocabularyOf(
  app: string,
  funcFields: readonly string[],
  operationField: string,
  unitField?: string,
): AppVocabulary {
  const dev = deviceFields(app);
  return {
    app,
    funcFields,
    operationField,
    unitField: unitField ?? null,
    spaceField: `${app}.space`,
    addressField: `${app}.address`,
    valuesField: `${app}.values`,
    quantityField: `${app}.quantity`,
    subfunctionField: `${app}.subfunction`,
    firmwareField: dev.firmware,
    modelField: dev.model,
    serialField: dev.serial,
    deviceUnitField: dev.unit,
    deviceIpField: dev.ip,
  };
}

const VOCABULARIES: ReadonlyMap<string, AppVocabulary> = new Map(
  DISSECTORS.map((d) => [d.name, vocabularyOf(d.name, d.funcFields, d.operationField, d.unitField)]),
);

export function vocabulary(app: string): AppVocabulary | undefined {
  return VOCABULARIES.get(app);
}

/** The message's function name (first non-empty string of funcFields), or null. */
export const functionOf: (v: AppVocabulary, fields: Fields) => string | null = messageFunction;

export function operationOf(v: AppVocabulary, fields: Fields): Operation | null {
  const op = fields[v.operationField];
  return isOperation(op) ? op : null;
}

export function numberField(fields: Fields, name: string | null): number | null {
  if (name === null) return null;
  const value = fields[name];
  return typeof value === 'number' ? value : null;
}

export function stringField(fields: Fields, name: string): string | null {
  const value = fields[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

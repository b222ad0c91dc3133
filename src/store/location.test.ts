// Where the store lives: the default file, `--db`, ZONEWARD_DATABASE_URL, and messages that never
// show a password. Pure functions: no database is opened here.

import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { ErrorCodes, ZonewardError } from '../errors.ts';
import {
  DATABASE_URL_ENV,
  DEFAULT_DB_PATH,
  describeStoreLocation,
  redactUrl,
  resolveStoreLocation,
  type StoreOptions,
} from './location.ts';

const PG = 'postgres://zoneward:s3cret@db.plant.example:5432/zoneward';

test('nothing given: the SQLite file .zoneward/zoneward.db under the current directory', () => {
  assert.equal(DEFAULT_DB_PATH, '.zoneward/zoneward.db');
  assert.deepEqual(resolveStoreLocation({}, {}), {
    engine: 'sqlite',
    path: resolve('.zoneward/zoneward.db'),
  });
  assert.equal(describeStoreLocation({}, {}), `SQLite file ${resolve('.zoneward/zoneward.db')}`);
});

test('precedence: url option, then --db, then the environment, then the default', () => {
  const env = { [DATABASE_URL_ENV]: PG };
  const rows: [StoreOptions, NodeJS.ProcessEnv, string][] = [
    [{}, env, 'postgres'],
    [{ db: 'plant.db' }, env, 'sqlite'],
    [{ db: undefined }, env, 'postgres'],
    [{ url: PG }, {}, 'postgres'],
    [{}, { [DATABASE_URL_ENV]: '' }, 'sqlite'],
  ];
  for (const [options, environment, engine] of rows) {
    assert.equal(resolveStoreLocation(options, environment).engine, engine, JSON.stringify(options));
  }
  assert.deepEqual(resolveStoreLocation({ db: 'plant.db' }, env), {
    engine: 'sqlite',
    path: resolve('plant.db'),
  });
  assert.deepEqual(resolveStoreLocation({ url: PG, schema: 'line_2' }, {}), {
    engine: 'postgres',
    url: PG,
    schema: 'line_2',
  });
  assert.deepEqual(resolveStoreLocation({ db: ':memory:' }, {}), { engine: 'sqlite', path: ':memory:' });
});

test('messages name the database without its password', () => {
  assert.equal(
    describeStoreLocation({ schema: 'line_2' }, { [DATABASE_URL_ENV]: PG }),
    'PostgreSQL postgres://zoneward@db.plant.example:5432/zoneward (schema line_2)',
  );
  assert.equal(
    redactUrl('postgres://u@h/db?password=s3cret&sslmode=require'),
    'postgres://u@h/db?sslmode=require',
  );
  assert.equal(redactUrl('not a url s3cret'), '(an unparsable URL)');
});

test('contradictory or malformed settings are usage errors that do not echo secrets', () => {
  const rows: [StoreOptions, NodeJS.ProcessEnv, RegExp][] = [
    [{ url: PG, db: 'plant.db' }, {}, /not both/],
    [{ url: 'postgres//zoneward:s3cret@nowhere' }, {}, /not a valid URL/],
    [
      {},
      { [DATABASE_URL_ENV]: 'mysql://zoneward:s3cret@db/zoneward' },
      /ZONEWARD_DATABASE_URL must be a PostgreSQL URL/,
    ],
    [{ url: PG, schema: 'Line-2' }, {}, /schema name "Line-2"/],
    [{ schema: 'line_2' }, {}, /PostgreSQL only/],
  ];
  for (const [options, env, pattern] of rows) {
    assert.throws(
      () => resolveStoreLocation(options, env),
      (error: unknown) =>
        error instanceof ZonewardError &&
        error.code === ErrorCodes.USAGE &&
        pattern.test(error.message) &&
        !error.message.includes('s3cret'),
      pattern.source,
    );
  }
});

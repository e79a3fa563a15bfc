// Driver errors that mean "the database (connection) is away or being replaced" are a 503
// service_unavailable, never a 500 internal_error: produced here by a real client against
// the test database (ended sessions, closed clients) and by the driver's own classes.
import { MongoClient, MongoClientClosedError, MongoExpiredSessionError, MongoServerError, MongoTopologyClosedError } from 'mongodb';
import { describe, expect, inject, it } from 'vitest';
import { AppError } from '../../server/domain/errors.js';
import { toErrorResponse } from '../../server/errorResponse.js';
import { createLogger } from '../../server/logger.js';

function answer(error: unknown) {
  const lines: Array<{ level: number }> = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as { level: number }) });
  return { ...toErrorResponse(error, logger, { test: true }), levels: lines.map((l) => l.level) };
}

async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('driver errors map to 503 service_unavailable', () => {
  it('an operation on an ended session (MongoExpiredSessionError)', async () => {
    const client = await new MongoClient(inject('mongodbUri')).connect();
    try {
      const session = client.startSession();
      await session.endSession();
      const error = await caught(() => client.db('errors_test').collection('x').findOne({}, { session }));
      expect((error as Error).name).toBe('MongoExpiredSessionError');
      expect(answer(error)).toMatchObject({ status: 503, error: { code: 'service_unavailable' } });
    } finally {
      await client.close();
    }
  });

  it('operations cut off by closing the client, and one on the closed client', async () => {
    const client = await new MongoClient(inject('mongodbUri')).connect();
    const collection = client.db('errors_test').collection('x');
    const cutOff = Array.from({ length: 50 }, (_, i) => caught(() => collection.insertOne({ i })).catch(() => undefined));
    await client.close(true);
    const errors = [...(await Promise.all(cutOff)).filter((e) => e !== undefined), await caught(() => collection.insertOne({ late: true }))];
    expect(errors.length).toBeGreaterThan(1);
    for (const error of errors) {
      const { status, error: body, levels } = answer(error);
      expect({ name: (error as Error).name, status, code: body.code }).toMatchObject({ status: 503, code: 'service_unavailable' });
      expect(levels.every((level) => level < 50)).toBe(true);
    }
  });

  it.each([
    ['MongoExpiredSessionError', new MongoExpiredSessionError()],
    ['MongoTopologyClosedError', new MongoTopologyClosedError()],
    ['MongoClientClosedError', new MongoClientClosedError()],
    // The pool's own errors are not exported by the driver; these have its exact name and message.
    ['MongoPoolClosedError', Object.assign(new Error('Attempted to check out a connection from closed connection pool'), { name: 'MongoPoolClosedError' })],
    ['MongoPoolClearedError', Object.assign(new Error('Connection pool for localhost:27017 was cleared'), { name: 'MongoPoolClearedError' })],
    ['a wrapped cause', new Error('send failed', { cause: new MongoTopologyClosedError() })],
    // As FerretDB answers a command it cancels while stopping (seen in the database-restart fault test).
    [
      'FerretDB cancelling a command at shutdown',
      new MongoServerError({
        ok: 0,
        code: 1,
        codeName: 'InternalError',
        errmsg: '[msg_insert.go:168 handler.(*Handler).MsgInsert] [db.go:134 fsql.(*DB).InTransaction] context canceled',
      }),
    ],
    [
      'MongoDB shutting down (InterruptedAtShutdown)',
      new MongoServerError({ ok: 0, code: 11600, codeName: 'InterruptedAtShutdown', errmsg: 'interrupted at shutdown' }),
    ],
    ['MongoDB stepping down (NotWritablePrimary)', new MongoServerError({ ok: 0, code: 10107, codeName: 'NotWritablePrimary', errmsg: 'not primary' })],
  ])('%s', (_name, error) => {
    const { status, error: body, levels } = answer(error);
    expect(status).toBe(503);
    expect(body.code).toBe('service_unavailable');
    // Logged as a warning (rate-limited like every warning), never as an unhandled error.
    expect(levels).toEqual([40]);
  });

  it('a real bug is still internal_error, and an AppError keeps its code and retryAfterMs', () => {
    expect(answer(new TypeError('x is undefined'))).toMatchObject({ status: 500, error: { code: 'internal_error' }, levels: [50] });
    // Any other error the server answers with is not an outage.
    expect(answer(new MongoServerError({ ok: 0, code: 1, codeName: 'InternalError', errmsg: 'something broke' }))).toMatchObject({
      status: 500,
      error: { code: 'internal_error' },
    });
    expect(answer(new AppError('rate_limited', 'slow down', undefined, 1500))).toMatchObject({
      status: 429,
      error: { code: 'rate_limited', retryAfterMs: 1500 },
      levels: [],
    });
    expect(answer(new AppError('overloaded', 'busy', undefined, 1000))).toMatchObject({ status: 503, error: { code: 'overloaded', retryAfterMs: 1000 } });
  });
});

// AWS SDK for JavaScript v3 against secretsmanager-local, the way a Node
// service uses it. Run with `node --test` (ctest does, with SML_BINARY set).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  paginateListSecrets,
} from '@aws-sdk/client-secrets-manager';
import { startServer } from './server.mjs';

const onMoto = process.env.SML_TARGET === 'moto';
let server;
let sm;
const written = [];

function secretValue() {
  const v = `js-secret-${randomUUID()}`;
  written.push(v);
  return v;
}

before(async () => {
  server = await startServer();
  sm = new SecretsManagerClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
});

after(async () => {
  sm?.destroy();
  if (server) {
    await server.stop();
    const log = server.log();
    const leaked = written.filter((v) => log.includes(v));
    assert.deepEqual(leaked, [], 'secret values appear in the server log');
  }
});

describe('secrets manager via JS SDK v3', () => {
  test('create, get, put, describe, delete', async () => {
    const name = `js/${randomUUID().slice(0, 8)}/db`;
    const first = secretValue();
    const created = await sm.send(new CreateSecretCommand({ Name: name, SecretString: first }));
    assert.equal(created.Name, name);
    assert.match(created.ARN, /:secret:js\/.+-[A-Za-z0-9]{6}$/);
    const v1 = created.VersionId;

    let got = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    assert.equal(got.SecretString, first);
    assert.deepEqual(got.VersionStages, ['AWSCURRENT']);
    assert.ok(got.CreatedDate instanceof Date);

    const second = secretValue();
    const put = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: second }));
    assert.notEqual(put.VersionId, v1);
    got = await sm.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    assert.equal(got.SecretString, second);

    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.deepEqual(described.VersionIdsToStages, {
      [v1]: ['AWSPREVIOUS'],
      [put.VersionId]: ['AWSCURRENT'],
    });

    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: name, ForceDeleteWithoutRecovery: true }));
    assert.equal(deleted.Name, name);
    await assert.rejects(sm.send(new DescribeSecretCommand({ SecretId: name })), (err) => {
      assert.ok(err instanceof ResourceNotFoundException, `got ${err.name}`);
      assert.equal(err.message, "Secrets Manager can't find the specified secret.");
      if (!onMoto) assert.equal(err.$metadata.httpStatusCode, 400);
      return true;
    });
  });

  test('binary secret round-trips bytes', async () => {
    const name = `js/${randomUUID().slice(0, 8)}/bin`;
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await sm.send(new CreateSecretCommand({ Name: name, SecretBinary: bytes }));
    const got = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    assert.deepEqual(Array.from(got.SecretBinary), Array.from(bytes));
    assert.equal(got.SecretString, undefined);
  });

  test('list with filters and paginateListSecrets', async () => {
    const prefix = `jsl${randomUUID().slice(0, 8)}/`;
    const names = [];
    for (let i = 0; i < 7; i++) {
      const name = `${prefix}s${i}`;
      names.push(name);
      await sm.send(new CreateSecretCommand({ Name: name, SecretString: secretValue() }));
    }
    const filters = [{ Key: 'name', Values: [prefix] }];
    const page = await sm.send(new ListSecretsCommand({ Filters: filters, MaxResults: 3 }));
    assert.equal(page.SecretList.length, 3);
    assert.ok(page.NextToken);
    assert.ok(page.SecretList[0].SecretVersionsToStages);

    const seen = [];
    let pages = 0;
    for await (const p of paginateListSecrets({ client: sm, pageSize: 2 }, { Filters: filters })) {
      pages += 1;
      seen.push(...p.SecretList.map((s) => s.Name));
    }
    assert.equal(pages, 4);
    assert.deepEqual([...seen].sort(), [...names].sort());
  });

  test('missing required member (the JS SDK does not check) is ValidationException', async () => {
    await assert.rejects(sm.send(new DescribeSecretCommand({})), (err) => {
      assert.equal(err.name, 'ValidationException', `got ${err.name}: ${err.message}`);
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.match(err.message, /secretId/);
      return true;
    });
    await assert.rejects(sm.send(new CreateSecretCommand({ SecretString: 'x' })), (err) => {
      assert.equal(err.name, 'ValidationException', `got ${err.name}: ${err.message}`);
      return true;
    });
    // Still serving.
    await sm.send(new ListSecretsCommand({}));
  });
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEVELOPMENT_KEY_FILE, generateMasterKeyText, loadMasterKeys, parseMasterKey } from './master-key.ts';

const directories: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mymedic-mk-'));
  directories.push(dir);
  return dir;
}
after(() => Promise.all(directories.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('master key loading', () => {
  it('reads MYMEDIC_MASTER_KEY and gives a stable id that does not contain the key', async () => {
    const text = generateMasterKeyText();
    const keys = await loadMasterKeys({ env: { MYMEDIC_MASTER_KEY: text } });
    assert.equal(keys.current.id, parseMasterKey(text, 'test').id);
    assert.match(keys.current.id, /^mk_[0-9a-f]{24}$/);
    assert.ok(!keys.current.id.includes(Buffer.from(text, 'base64').toString('hex').slice(0, 8)));
    assert.deepEqual(keys.previous, []);
    assert.ok(!JSON.stringify(keys).includes(text), 'key material does not serialise');
  });

  it('reads MYMEDIC_MASTER_KEY_FILE and the previous keys of a rotation', async () => {
    const dir = await tempDir();
    const current = generateMasterKeyText();
    const [old1, old2] = [generateMasterKeyText(), generateMasterKeyText()];
    await writeFile(join(dir, 'key'), `${current}\n`, { mode: 0o600 });
    const keys = await loadMasterKeys({
      env: { MYMEDIC_MASTER_KEY_FILE: join(dir, 'key'), MYMEDIC_PREVIOUS_MASTER_KEYS: ` ${old1},\n${old2} ` },
    });
    assert.equal(keys.current.id, parseMasterKey(current, 'x').id);
    assert.deepEqual(
      keys.previous.map((key) => key.id),
      [old1, old2].map((text) => parseMasterKey(text, 'x').id),
    );
  });

  it('refuses a missing key with MASTER_KEY_MISSING', async () => {
    await assert.rejects(loadMasterKeys({ env: {} }), { code: 'MASTER_KEY_MISSING' });
  });

  it('refuses malformed keys with MASTER_KEY_INVALID and never echoes them', async () => {
    const short = randomBytes(16).toString('base64');
    for (const env of [
      { MYMEDIC_MASTER_KEY: short },
      { MYMEDIC_MASTER_KEY: 'not base64 at all, definitely not!!!!!!!!!!=' },
      { MYMEDIC_MASTER_KEY: generateMasterKeyText(), MYMEDIC_MASTER_KEY_FILE: '/x' },
      { MYMEDIC_MASTER_KEY_FILE: '/nonexistent/mymedic/key' },
      { MYMEDIC_MASTER_KEY: generateMasterKeyText(), MYMEDIC_PREVIOUS_MASTER_KEYS: short },
    ]) {
      await assert.rejects(loadMasterKeys({ env }), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'MASTER_KEY_INVALID');
        assert.ok(!error.message.includes(short));
        return true;
      });
    }
  });

  it('generates a 0600 development key once, warns loudly, and reuses it', async () => {
    const dir = await tempDir();
    const warnings: string[] = [];
    const first = await loadMasterKeys({ env: {}, developmentKeyDir: dir, warn: (m) => warnings.push(m) });
    const second = await loadMasterKeys({ env: {}, developmentKeyDir: dir, warn: (m) => warnings.push(m) });
    assert.equal(first.current.id, second.current.id);
    assert.equal((await stat(join(dir, DEVELOPMENT_KEY_FILE))).mode & 0o777, 0o600);
    assert.ok(warnings.some((m) => /DEVELOPMENT master key/.test(m)));
    assert.ok(warnings.length >= 2, 'every start warns');
  });

  it('never uses a development key when NODE_ENV=production', async () => {
    const dir = await tempDir();
    await assert.rejects(loadMasterKeys({ env: { NODE_ENV: 'production' }, developmentKeyDir: dir }), {
      code: 'MASTER_KEY_MISSING',
    });
  });

  it('prefers a configured key over the development key', async () => {
    const text = generateMasterKeyText();
    const warnings: string[] = [];
    const keys = await loadMasterKeys({
      env: { MYMEDIC_MASTER_KEY: text },
      developmentKeyDir: await tempDir(),
      warn: (m) => warnings.push(m),
    });
    assert.equal(keys.current.id, parseMasterKey(text, 'x').id);
    assert.deepEqual(warnings, []);
  });

  it('warns when a key file is readable by others', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'key'), generateMasterKeyText(), { mode: 0o644 });
    const warnings: string[] = [];
    await loadMasterKeys({
      env: { MYMEDIC_MASTER_KEY_FILE: join(dir, 'key') },
      warn: (m) => warnings.push(m),
    });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /chmod 600/);
  });
});
